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

/** What became of one policy or grant of an original table on calsync's table. */
export interface AccessOutcome {
  kind: 'policy' | 'grant';
  /** The policy's name, or the grantee. */
  name: string;
  detail: string;
  kept: boolean;
  /** Why it could not be kept (e.g. its expression names a column calsync does not have). */
  error?: string;
}

const roleList = (roles: string[]) => roles.map((r) => (r === 'public' ? 'public' : quoteIdent(r))).join(', ');

function policyDdl(policy: OriginalPolicy, table: string): string {
  const as = policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE';
  const using = policy.using === null ? '' : ` USING (${policy.using})`;
  const check = policy.withCheck === null ? '' : ` WITH CHECK (${policy.withCheck})`;
  return `CREATE POLICY ${quoteIdent(policy.name)} ON ${quoteIdent(table)} AS ${as} FOR ${policy.command} TO ${roleList(policy.roles)}${using}${check}`;
}

function describePolicy(policy: OriginalPolicy): string {
  const using = policy.using === null ? '' : ` using (${policy.using})`;
  return `${policy.command.toLowerCase()} to ${policy.roles.join(', ')}${using}`;
}

/**
 * Re-creates the original's policies and grants on calsync's table of the same name, each in its own savepoint: one
 * that cannot be re-created is reported, not fatal. Without `sql` it only predicts (every one counted as kept).
 */
export async function carryAccess(
  sql: postgres.TransactionSql | null,
  access: OriginalAccess,
  table: string,
): Promise<AccessOutcome[]> {
  const outcomes: AccessOutcome[] = [];
  for (const policy of access.policies) {
    const outcome: AccessOutcome = { kind: 'policy', name: policy.name, detail: describePolicy(policy), kept: true };
    if (sql) {
      try {
        await sql.savepoint((sp) => sp.unsafe(policyDdl(policy, table)));
      } catch (error) {
        Object.assign(outcome, { kept: false, error: (error as Error).message });
      }
    }
    outcomes.push(outcome);
  }
  for (const grant of access.grants) {
    const outcome: AccessOutcome = {
      kind: 'grant',
      name: grant.grantee,
      detail: grant.privileges.join(', '),
      kept: true,
    };
    if (sql) {
      try {
        const grantee = grant.grantee === 'public' ? 'public' : quoteIdent(grant.grantee);
        await sql.savepoint((sp) =>
          sp.unsafe(`GRANT ${grant.privileges.join(', ')} ON ${quoteIdent(table)} TO ${grantee}`),
        );
      } catch (error) {
        Object.assign(outcome, { kept: false, error: (error as Error).message });
      }
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Closes a kept table to everyone but its owner: under a new name it would still be exposed (e.g. by Supabase's Data
 * API) while no application reads it. Its policies stay as they were.
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
