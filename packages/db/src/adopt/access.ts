import type postgres from 'postgres';
import { quoteIdent } from './original-tables.ts';

/** A row-level security policy of an original table, as PostgreSQL holds it. */
export interface OriginalPolicy {
  name: string;
  command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  permissive: boolean;
  /** Role names; `public` for every role. */
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

/** Table privileges the original granted to one role (its owner's own are implicit and not listed). */
export interface OriginalGrant {
  grantee: string;
  privileges: string[];
}

export interface OriginalAccess {
  rowLevelSecurity: boolean;
  policies: OriginalPolicy[];
  grants: OriginalGrant[];
}

type Sql = postgres.Sql | postgres.TransactionSql;

/** The RLS flag, the policies and the grants of `public.<table>`. Changes nothing. */
export async function readAccess(sql: Sql, table: string): Promise<OriginalAccess> {
  const [flag] = await sql<{ rls: boolean }[]>`
    select relrowsecurity as rls from pg_class where oid = ${`public.${quoteIdent(table)}`}::regclass`;
  const policies = await sql<OriginalPolicy[]>`
    select p.polname as name,
      case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE' when 'd' then 'DELETE'
        else 'ALL' end as command,
      p.polpermissive as permissive,
      coalesce((select array_agg(r.rolname::text order by r.rolname) from pg_roles r where r.oid = any(p.polroles)),
        array['public']) as roles,
      pg_get_expr(p.polqual, p.polrelid) as using,
      pg_get_expr(p.polwithcheck, p.polrelid) as "withCheck"
    from pg_policy p where p.polrelid = ${`public.${quoteIdent(table)}`}::regclass order by p.polname`;
  const grants = await sql<OriginalGrant[]>`
    select case when acl.grantee = 0 then 'public' else pg_get_userbyid(acl.grantee)::text end as grantee,
      array_agg(acl.privilege_type::text order by acl.privilege_type) as privileges
    from pg_class c, aclexplode(c.relacl) acl
    where c.oid = ${`public.${quoteIdent(table)}`}::regclass and acl.grantee <> c.relowner
    group by acl.grantee order by 1`;
  return { rowLevelSecurity: flag?.rls ?? false, policies: [...policies], grants: [...grants] };
}

/** One policy or grant of an original table; calsync's table of the same name has calsync's own instead. */
export interface AccessOutcome {
  kind: 'policy' | 'grant';
  /** The policy's name, or the grantee. */
  name: string;
  detail: string;
  /**
   * Always `replaced_by_calsync`: calsync's migrations give each Supabase role exactly its access (the README's
   * "Row-level security"); an original policy such as "public can read active event types" would also show anon the
   * metadata calsync keeps from the public. The original keeps its policies, closed to its owner.
   */
  outcome: 'replaced_by_calsync';
}

function describePolicy(policy: OriginalPolicy): string {
  const using = policy.using === null ? '' : ` using (${policy.using})`;
  return `${policy.command.toLowerCase()} to ${policy.roles.join(', ')}${using}`;
}

/** Each policy and grant of an original table, as the report lists it. */
export function describeAccess(access: OriginalAccess): AccessOutcome[] {
  return [
    ...access.policies.map((p) => ({
      kind: 'policy' as const,
      name: p.name,
      detail: describePolicy(p),
      outcome: 'replaced_by_calsync' as const,
    })),
    ...access.grants.map((g) => ({
      kind: 'grant' as const,
      name: g.grantee,
      detail: g.privileges.join(', '),
      outcome: 'replaced_by_calsync' as const,
    })),
  ];
}

/**
 * Takes every privilege on `table` from everyone but its owner. A kept original: under its new name it would still be
 * exposed (e.g. by Supabase's Data API) while no application reads it; its policies stay as they were. A table the
 * first migration just made: Supabase's default privileges gave anon ALL on it (TRUNCATE too, which row-level
 * security does not check) until the later migrations, committed separately, set calsync's grants.
 */
export async function closeToOwner(sql: postgres.TransactionSql, table: string): Promise<void> {
  const grantees = await sql<{ grantee: string }[]>`
    select distinct case when acl.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(acl.grantee)) end as grantee
    from pg_class c, aclexplode(c.relacl) acl
    where c.oid = ${`public.${quoteIdent(table)}`}::regclass and acl.grantee <> c.relowner`;
  if (grantees.length > 0) {
    await sql.unsafe(`REVOKE ALL ON ${quoteIdent(table)} FROM ${grantees.map((g) => g.grantee).join(', ')}`);
  }
  await sql.unsafe(`ALTER TABLE ${quoteIdent(table)} ENABLE ROW LEVEL SECURITY`);
}
