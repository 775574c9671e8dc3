import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate } from './migrate.ts';

// A database set up as Supabase sets one up: the roles anon, authenticated and service_role exist, and default
// privileges grant them ALL on every table created in `public`, before calsync migrates it.

const server = inject('calsyncTestServices').databaseUrl;
const database = `calsync_test_supabase_${randomBytes(4).toString('hex')}`;
const databaseUrl = withDatabase(server, database);
let sql: postgres.Sql;

const DUPLICATE_OBJECT = '42710';
const UNIQUE_VIOLATION = '23505';
const INSUFFICIENT_PRIVILEGE = '42501';

/** Roles are cluster-wide and other runs of this file may create them at the same moment: never dropped. */
async function ensureSupabaseRoles(admin: postgres.Sql) {
  for (const role of ['anon NOLOGIN', 'authenticated NOLOGIN', 'service_role NOLOGIN BYPASSRLS']) {
    try {
      await admin.unsafe(`create role ${role}`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== DUPLICATE_OBJECT && code !== UNIQUE_VIOLATION) throw error;
    }
  }
}

beforeAll(async () => {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await ensureSupabaseRoles(admin);
    await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  await sql.unsafe(`
    grant usage on schema public to anon, authenticated, service_role;
    alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
    alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
    alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
    grant all on all tables in schema public to anon, authenticated, service_role;`);
  await migrate(databaseUrl);
  await sql.unsafe(`
    insert into cal_bookings (cal_uid, title) values ('seed-booking', 'Seed');
    insert into cal_booking_attendees (booking_uid, email, position) values ('seed-booking', 'ann@example.com', 0);
    insert into cal_event_types (cal_event_type_id, title, active, metadata)
      values ('1', 'Open', true, '{"secret": "x"}'), ('2', 'Closed', false, '{}');
    insert into cal_webhook_events (id, trigger_event, raw_body) values ('seed-event', 'BOOKING_CREATED', '{"pii": 1}');
    insert into cal_sync_runs (id, kind, trigger, status)
      values ('00000000-0000-4000-8000-000000000001', 'reconcile', 'manual', 'succeeded');
    insert into cal_sync_skipped_items (run_id, reason) values ('00000000-0000-4000-8000-000000000001', 'seed');`);
}, 60_000);

afterAll(async () => {
  await sql?.end();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.end();
});

class RollBack extends Error {}

/** Runs `work` inside a transaction that is always rolled back, after `setup` (role, claims) ran in it. */
async function inRolledBackTransaction<T>(setup: string, work: (tx: postgres.Sql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await sql
    .begin(async (tx) => {
      await tx.unsafe(setup);
      result = await work(tx as unknown as postgres.Sql);
      throw new RollBack();
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error;
    });
  return result as T;
}

const adminClaims = { role: 'authenticated', sub: 'u-1', app_metadata: { provider: 'email', role: 'admin' } };
const userClaims = { role: 'authenticated', sub: 'u-2', app_metadata: { provider: 'email' } };

/** Who asks: the database role and the JWT claims PostgREST would set for the request. */
const askers: Record<string, { role: string; claims?: object }> = {
  anon: { role: 'anon', claims: { role: 'anon' } },
  'anon+admin-claim': { role: 'anon', claims: { ...adminClaims, role: 'anon' } },
  authenticated: { role: 'authenticated', claims: userClaims },
  'authenticated+admin-claim': { role: 'authenticated', claims: adminClaims },
  service_role: { role: 'service_role', claims: { role: 'service_role' } },
  calsync_admin: { role: 'calsync_admin' },
  calsync_writer: { role: 'calsync_writer' },
  calsync_public: { role: 'calsync_public' },
};

function setupFor(asker: { role: string; claims?: object }): string {
  const claims = asker.claims ? JSON.stringify(asker.claims).replaceAll("'", "''") : '';
  return `set local role ${asker.role}; select set_config('request.jwt.claims', '${claims}', true)`;
}

/** One statement per operation; an update rewrites a column with its own value. */
const relations: Record<string, { insert: string; update: string }> = {
  cal_bookings: {
    insert: `insert into cal_bookings (cal_uid) values ('new-booking')`,
    update: 'update cal_bookings set title = title',
  },
  cal_booking_attendees: {
    insert: `insert into cal_booking_attendees (booking_uid, email, position) values ('seed-booking', 'bo@example.com', 1)`,
    update: 'update cal_booking_attendees set name = name',
  },
  cal_event_types: {
    insert: `insert into cal_event_types (cal_event_type_id, title) values ('3', 'New')`,
    update: 'update cal_event_types set title = title',
  },
  cal_webhook_events: {
    insert: `insert into cal_webhook_events (id, trigger_event, raw_body) values ('new-event', 'PING', '{}')`,
    update: 'update cal_webhook_events set status = status',
  },
  cal_sync_runs: {
    insert: `insert into cal_sync_runs (kind, trigger, status) values ('bookings_sync', 'manual', 'succeeded')`,
    update: 'update cal_sync_runs set status = status',
  },
  cal_sync_skipped_items: {
    insert: `insert into cal_sync_skipped_items (run_id, reason) values ('00000000-0000-4000-8000-000000000001', 'new')`,
    update: 'update cal_sync_skipped_items set reason = reason',
  },
  cal_event_types_public: {
    insert: `insert into cal_event_types_public (cal_event_type_id) values ('4')`,
    update: 'update cal_event_types_public set title = title',
  },
};

/** Rows seen (select) or affected (insert, update, delete), or `denied` when PostgreSQL refuses the statement. */
async function outcome(setup: string, statement: string): Promise<string> {
  try {
    return await inRolledBackTransaction(setup, async (tx) => {
      const result = await tx.unsafe(statement);
      return String(statement.startsWith('select') ? result[0]?.n : result.count);
    });
  } catch (error) {
    if ((error as { code?: string }).code === INSUFFICIENT_PRIVILEGE) return 'denied';
    throw error;
  }
}

// Seeded: 1 booking, 1 attendee, 2 event types (1 active), 1 webhook event, 1 sync run, 1 skipped item.
// `denied` on insert is either a missing grant or a row RLS refuses; a 0 is a statement RLS let through to no row.
const expectedMatrix = `
  asker                      relation                select insert update delete
  anon                       cal_bookings            denied denied denied denied
  anon                       cal_booking_attendees   denied denied denied denied
  anon                       cal_event_types         denied denied denied denied
  anon                       cal_webhook_events      denied denied denied denied
  anon                       cal_sync_runs           denied denied denied denied
  anon                       cal_sync_skipped_items  denied denied denied denied
  anon                       cal_event_types_public  1      denied denied denied
  anon+admin-claim           cal_bookings            denied denied denied denied
  anon+admin-claim           cal_booking_attendees   denied denied denied denied
  anon+admin-claim           cal_event_types         denied denied denied denied
  anon+admin-claim           cal_webhook_events      denied denied denied denied
  anon+admin-claim           cal_sync_runs           denied denied denied denied
  anon+admin-claim           cal_sync_skipped_items  denied denied denied denied
  anon+admin-claim           cal_event_types_public  1      denied denied denied
  authenticated              cal_bookings            0      denied denied denied
  authenticated              cal_booking_attendees   0      denied denied denied
  authenticated              cal_event_types         0      denied 0      0
  authenticated              cal_webhook_events      0      denied denied denied
  authenticated              cal_sync_runs           0      denied denied denied
  authenticated              cal_sync_skipped_items  0      denied denied denied
  authenticated              cal_event_types_public  1      denied denied denied
  authenticated+admin-claim  cal_bookings            1      denied denied denied
  authenticated+admin-claim  cal_booking_attendees   1      denied denied denied
  authenticated+admin-claim  cal_event_types         2      1      2      2
  authenticated+admin-claim  cal_webhook_events      1      denied denied denied
  authenticated+admin-claim  cal_sync_runs           1      denied denied denied
  authenticated+admin-claim  cal_sync_skipped_items  1      denied denied denied
  authenticated+admin-claim  cal_event_types_public  1      denied denied denied
  service_role               cal_bookings            1      1      1      1
  service_role               cal_booking_attendees   1      1      1      1
  service_role               cal_event_types         2      1      2      2
  service_role               cal_webhook_events      1      1      1      1
  service_role               cal_sync_runs           1      1      1      1
  service_role               cal_sync_skipped_items  1      1      1      1
  service_role               cal_event_types_public  1      denied denied denied
  calsync_admin              cal_bookings            1      denied denied denied
  calsync_admin              cal_booking_attendees   1      denied denied denied
  calsync_admin              cal_event_types         2      1      2      2
  calsync_admin              cal_webhook_events      1      denied denied denied
  calsync_admin              cal_sync_runs           1      denied denied denied
  calsync_admin              cal_sync_skipped_items  1      denied denied denied
  calsync_admin              cal_event_types_public  denied denied denied denied
  calsync_writer             cal_bookings            1      1      1      denied
  calsync_writer             cal_booking_attendees   denied denied denied denied
  calsync_writer             cal_event_types         denied denied denied denied
  calsync_writer             cal_webhook_events      denied denied denied denied
  calsync_writer             cal_sync_runs           denied denied denied denied
  calsync_writer             cal_sync_skipped_items  denied denied denied denied
  calsync_writer             cal_event_types_public  denied denied denied denied
  calsync_public             cal_bookings            0      denied denied denied
  calsync_public             cal_booking_attendees   denied denied denied denied
  calsync_public             cal_event_types         1      denied denied denied
  calsync_public             cal_webhook_events      denied denied denied denied
  calsync_public             cal_sync_runs           denied denied denied denied
  calsync_public             cal_sync_skipped_items  denied denied denied denied
  calsync_public             cal_event_types_public  1      denied denied denied`;

const rowsOf = (table: string) =>
  table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).join(' '));

describe('on a Supabase database (its roles and default grants)', () => {
  it('gives each role exactly the access the matrix lists, for every table and operation', async () => {
    const actual = ['asker relation select insert update delete'];
    for (const [name, asker] of Object.entries(askers)) {
      const setup = setupFor(asker);
      for (const [relation, statements] of Object.entries(relations)) {
        const cells = [
          await outcome(setup, `select count(*)::int as n from ${relation}`),
          await outcome(setup, statements.insert),
          await outcome(setup, statements.update),
          await outcome(setup, `delete from ${relation}`),
        ];
        actual.push([name, relation, ...cells].join(' '));
      }
    }
    expect(actual).toEqual(rowsOf(expectedMatrix));
  }, 60_000);

  it('shows the public only the public columns of active event types, never metadata', async () => {
    await sql`insert into cal_event_types (cal_event_type_id, title, active, hidden) values ('h', 'Hidden', true, true)`;
    await sql`insert into cal_event_types (cal_event_type_id, title, active, deleted_at) values ('d', 'Gone', true, now())`;
    const rows = await inRolledBackTransaction(
      setupFor(askers.anon!),
      (tx) => tx`select * from cal_event_types_public`,
    );
    expect(rows.map((row) => ({ ...row }))).toEqual([
      {
        id: expect.any(String),
        cal_event_type_id: '1',
        slug: null,
        title: 'Open',
        description: null,
        length: null,
        price: null,
        currency: null,
      },
    ]);
    await sql`delete from cal_event_types where cal_event_type_id in ('h', 'd')`;
  });

  it('lets no Supabase role truncate a table (TRUNCATE is not checked by RLS)', async () => {
    for (const role of ['anon', 'authenticated']) {
      const refused = outcome(`set local role ${role}`, 'truncate cal_webhook_events cascade');
      await expect(refused, role).resolves.toBe('denied');
    }
  });
});

describe('calsync_is_admin()', () => {
  const isAdmin = (claims: string | undefined) =>
    inRolledBackTransaction(
      claims === undefined ? 'select 1' : `select set_config('request.jwt.claims', '${claims}', true)`,
      async (tx) => (await tx`select calsync_is_admin() as admin`)[0]!.admin as boolean,
    );

  it('is true only for app_metadata.role = admin, and false without claims', async () => {
    expect({
      none: await isAdmin(undefined),
      empty: await isAdmin(''),
      noRole: await isAdmin('{}'),
      otherRole: await isAdmin('{"app_metadata":{"role":"editor"}}'),
      // user_metadata is editable by the user themself: it must never make an admin.
      userMetadata: await isAdmin('{"user_metadata":{"role":"admin"}}'),
      topLevelRole: await isAdmin('{"role":"admin"}'),
      admin: await isAdmin('{"app_metadata":{"role":"admin"}}'),
    }).toEqual({
      none: false,
      empty: false,
      noRole: false,
      otherRole: false,
      userMetadata: false,
      topLevelRole: false,
      admin: true,
    });
  });

  it("reads the claims through Supabase's auth.jwt() when it exists", async () => {
    // Supabase's own auth.jwt() also honours the older single `request.jwt.claim` setting; plain PostgREST does not.
    const stubAuthJwt = `
      create schema auth;
      create function auth.jwt() returns jsonb language sql stable as $$
        select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                        nullif(current_setting('request.jwt.claims', true), ''))::jsonb $$;
      grant usage on schema auth to authenticated;`;
    const asAdminByOldSetting = `
      set local role authenticated;
      select set_config('request.jwt.claim', '${JSON.stringify(adminClaims)}', true)`;
    const readWebhookEvents = async (tx: postgres.Sql) =>
      (await tx`select count(*)::int as n from cal_webhook_events`)[0]!.n as number;
    expect(await inRolledBackTransaction(asAdminByOldSetting, readWebhookEvents)).toBe(0);
    expect(await inRolledBackTransaction(`${stubAuthJwt} ${asAdminByOldSetting}`, readWebhookEvents)).toBe(1);
  });
});

describe('every table calsync creates', () => {
  const publicTables = async () =>
    (
      await sql<{ name: string; rls: boolean }[]>`
        select c.relname as name, c.relrowsecurity as rls
        from information_schema.tables t
        join pg_class c on c.oid = format('%I.%I', t.table_schema, t.table_name)::regclass
        where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
        order by c.relname`
    ).map((row) => ({ ...row }));

  it('has row-level security enabled (a new table must call calsync_protect_table in its migration)', async () => {
    const tables = await publicTables();
    expect(tables.length).toBeGreaterThanOrEqual(6);
    expect(tables.filter((table) => !table.rls).map((table) => table.name)).toEqual([]);
  });

  it("keeps none of Supabase's default grants for anon, nor more than SELECT for authenticated", async () => {
    const leftOver = await sql<{ grantee: string; table: string; privilege: string }[]>`
      select grantee, table_name as table, privilege_type as privilege from information_schema.role_table_grants
      where table_schema = 'public' and table_name <> 'cal_event_types_public'
        and (grantee = 'anon' or (grantee = 'authenticated' and privilege_type <> 'SELECT'
          and not (table_name = 'cal_event_types' and privilege_type in ('INSERT', 'UPDATE', 'DELETE'))))
      order by 1, 2, 3`;
    expect(leftOver.map((row) => ({ ...row }))).toEqual([]);
  });

  it('comes out the same when the migration runs again (every statement is idempotent)', async () => {
    const snapshot = async () => ({
      policies: (
        await sql`select tablename, policyname, roles::text, cmd, qual, with_check from pg_policies
        where schemaname = 'public' order by 1, 2`
      ).map((row) => ({ ...row })),
      grants: (
        await sql`select grantee, table_name, privilege_type from information_schema.role_table_grants
        where table_schema = 'public' order by 1, 2, 3`
      ).map((row) => ({ ...row })),
    });
    const before = await snapshot();
    expect(before.policies.map((policy) => policy.policyname)).toEqual(
      expect.arrayContaining(['cal_webhook_events_jwt_admin_read', 'cal_webhook_events_service_role_all']),
    );
    const migration = readFileSync(new URL('../drizzle/0004_supabase-rls.sql', import.meta.url), 'utf8');
    for (const statement of migration.split('--> statement-breakpoint')) await sql.unsafe(statement);
    expect(await snapshot()).toEqual(before);
  });
});

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
