import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { spawnNode } from '@calsync/test-support';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOriginalDatabase, type OriginalDatabase } from '../../test/original-database.ts';
import { checkAdoption, migrate } from '../migrate.ts';

const server = inject('calsyncTestServices').databaseUrl;
const created: string[] = [];
const migrateCli = fileURLToPath(new URL('../migrate-cli.ts', import.meta.url));
const BOOKINGS = 10_000;

function databaseName(kind: string): string {
  const name = `calsync_test_adopt_${kind}_${randomBytes(4).toString('hex')}`;
  created.push(name);
  return name;
}

async function withSql<T>(url: string, run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end();
  }
}

/** A copy of the original database, cloned from one built once (building 10,000 rows each time is slow). */
let template: OriginalDatabase;
async function originalCopy(kind: string): Promise<OriginalDatabase> {
  const name = databaseName(kind);
  await withSql(server, (sql) =>
    sql.unsafe(`create database "${name}" template "${new URL(template.url).pathname.slice(1)}"`),
  );
  const url = new URL(template.url);
  url.pathname = `/${name}`;
  return { ...template, url: url.toString() };
}

/** Every table, column, constraint, index and policy calsync's migrations make (what a fresh database has). */
async function schemaOf(url: string, tables: string[]) {
  return await withSql(url, async (sql) => ({
    columns: await sql`select table_name, column_name, data_type, is_nullable, column_default
      from information_schema.columns where table_schema = 'public' and table_name = any(${tables})
      order by table_name, ordinal_position`,
    constraints: await sql`select conrelid::regclass::text as t, conname, pg_get_constraintdef(oid) as def
      from pg_constraint where conrelid::regclass::text = any(${tables}) order by 1, 2`,
    indexes: await sql`select tablename, indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename = any(${tables}) order by 1, 2`,
    triggers: await sql`select event_object_table, trigger_name from information_schema.triggers
      where event_object_table = any(${tables}) order by 1, 2`,
    journal: await sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at`,
    access: await sql`select relname, relrowsecurity, relacl::text from pg_class
      where relnamespace = 'public'::regnamespace and relname = any(${tables}) order by 1`,
    policies: await sql`select polrelid::regclass::text as t, polname, polcmd, polroles::regrole[]::text as roles,
      pg_get_expr(polqual, polrelid) as using from pg_policy where polrelid::regclass::text = any(${tables}) order by 1, 2`,
  }));
}

/** A fingerprint of every table's content, RLS flag, policies and grants: equal before and after means untouched. */
async function dump(url: string) {
  return await withSql(url, async (sql) => {
    const tables = await sql<{ name: string }[]>`select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname in ('public', 'drizzle') order by 1`;
    const contents: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await sql.unsafe(
        `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${name} t`,
      );
      contents[name] = row!.h as string;
    }
    const access = await sql`select relname, relrowsecurity, relacl::text from pg_class
      where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1`;
    const policies = await sql`select polname, polrelid::regclass::text from pg_policy order by 1, 2`;
    const schemas = await sql`select nspname from pg_namespace order by 1`;
    return { contents, access, policies, schemas };
  });
}

beforeAll(async () => {
  template = await createOriginalDatabase(server, databaseName('template'), BOOKINGS);
}, 120_000);

afterAll(async () => {
  await withSql(server, async (sql) => {
    for (const name of created) await sql.unsafe(`drop database if exists "${name}" with (force)`);
  });
});

const expectedRejects = () =>
  template.bookings
    .filter((b) => !b.expected.adopt)
    .map((b) => ({ id: b.id, reason: (b.expected as { reason: string }).reason }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));

describe('adopting the original tables', () => {
  it('keeps every row and id: adoptable rows in calsync shape, the rest listed with why', async () => {
    const original = await originalCopy('rows');
    const result = await migrate(original.url);
    const report = result.adopted!;
    expect(report.outcome).toBe('adopted');
    const bookings = report.tables.find((t) => t.table === 'cal_bookings')!;
    expect(bookings.rows).toBe(BOOKINGS);
    expect(bookings.rejects.map(({ id, reason }) => ({ id, reason })).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
      expectedRejects(),
    );
    expect(bookings.adopted + bookings.rejects.length).toBe(BOOKINGS);
    expect(bookings.statusChanges).toContainEqual({ from: 'ACCEPTED', to: 'scheduled', rows: expect.any(Number) });
    expect(bookings.uidDerived).toEqual({ fromMetadata: 250, fromCalBookingId: 250 });

    await withSql(original.url, async (sql) => {
      const adopted = new Map(
        (
          await sql<{ id: string; cal_uid: string; status: string }[]>`select id, cal_uid, status from cal_bookings`
        ).map((r) => [r.id, r]),
      );
      const rejected = new Map(
        (
          await sql<{ row_id: string; reason: string }[]>`select row_id, reason from cal_adoption_rejects
          where source_table = 'cal_bookings'`
        ).map((r) => [r.row_id, r.reason]),
      );
      for (const booking of original.bookings) {
        if (booking.expected.adopt) {
          expect(adopted.get(booking.id), booking.id).toMatchObject({
            cal_uid: booking.expected.calUid,
            status: booking.expected.status,
          });
        } else {
          expect(rejected.get(booking.id), booking.id).toBe(booking.expected.reason);
        }
      }
      expect(adopted.size + rejected.size).toBe(BOOKINGS);
      const [kept] = await sql`select count(*)::int as n from cal_bookings_original`;
      expect(kept!.n).toBe(BOOKINGS);
      // source_updated_at is the original's updated_at; the later migrations ran over the adopted rows too.
      const [times] = await sql`select count(*)::int as n from cal_bookings b join cal_bookings_original o using (id)
        where b.source_updated_at = o.updated_at`;
      expect(times!.n).toBe(adopted.size);
      const [attendees] = await sql`select count(*)::int as n from cal_booking_attendees`;
      expect(attendees!.n).toBe(adopted.size);
      const [eventTypes] = await sql`select count(*)::int as n from cal_event_types`;
      expect(eventTypes!.n).toBe(original.eventTypes.filter((e) => e.cal_event_type_id !== null).length);
      const runs = await sql`select id, kind, status from cal_sync_runs`;
      expect(runs).toEqual([{ id: report.reconcileRunId, kind: 'reconcile', status: 'queued' }]);
    });
  }, 120_000);

  it("ends with the schema, policies and grants a fresh database gets; the originals' give way", async () => {
    const original = await originalCopy('schema');
    const { adopted } = await migrate(original.url);
    const fresh = databaseName('fresh');
    const freshUrl = new URL(server);
    freshUrl.pathname = `/${fresh}`;
    await migrate(freshUrl.toString());
    const tables = ['cal_bookings', 'cal_event_types', 'cal_webhook_events', 'cal_sync_runs', 'cal_booking_attendees'];
    expect(await schemaOf(original.url, tables)).toEqual(await schemaOf(freshUrl.toString(), tables));

    const access = adopted!.tables.flatMap((t) => t.access.map((a) => `${t.table}: ${a.kind} ${a.name}`));
    expect(access).toEqual(
      expect.arrayContaining([
        'cal_bookings: policy admins can read bookings',
        'cal_event_types: policy public can read active event types',
        'cal_bookings: grant anon',
      ]),
    );
    await withSql(original.url, async (sql) => {
      const count = async (role: string, table: string, claims: object = {}) =>
        await sql.begin(async (tx) => {
          await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
          await tx.unsafe(`set local role ${role}`);
          const [row] = await tx.unsafe(`select count(*)::int as n from ${table}`);
          return row!.n as number;
        });
      // Who could read the original can read calsync's table through calsync's policies, and nobody else can.
      const bookings = adopted!.tables.find((t) => t.table === 'cal_bookings')!.adopted;
      expect(await count('authenticated', 'cal_bookings', { app_metadata: { role: 'admin' } })).toBe(bookings);
      expect(await count('authenticated', 'cal_bookings', { app_metadata: { role: 'member' } })).toBe(0);
      await expect(count('anon', 'cal_bookings')).rejects.toThrow(/permission denied/);
      await expect(count('anon', 'cal_bookings_original')).rejects.toThrow(/permission denied/);
      await expect(count('authenticated', 'cal_adoption_rejects')).rejects.toThrow(/permission denied/);
    });
  }, 120_000);

  it('is idempotent: a second migrate() adopts nothing and changes nothing', async () => {
    const original = await originalCopy('twice');
    expect((await migrate(original.url)).adopted?.outcome).toBe('adopted');
    const before = await dump(original.url);
    expect(await migrate(original.url)).toEqual({ databaseCreated: false });
    expect(await dump(original.url)).toEqual(before);
    const check = await checkAdoption(original.url);
    expect(check).toMatchObject({ outcome: 'not_needed', previously: { rejects: expectedRejects().length + 2 } });
  }, 120_000);

  it('adopts once when two processes migrate at the same time', async () => {
    const original = await originalCopy('race');
    const processes = [0, 1].map(() => spawnNode(migrateCli, { DATABASE_URL: original.url }));
    const codes = await Promise.all(processes.map((p) => p.exited));
    expect(codes, processes.map((p) => p.output()).join('\n')).toEqual([0, 0]);
    const adopters = processes.filter((p) => p.output().includes('Adopted the original tables'));
    expect(adopters).toHaveLength(1);
    expect(adopters[0]!.output()).toContain(`${expectedRejects()[0]!.id}  `);
    await withSql(original.url, async (sql) => {
      const [counts] = await sql`select (select count(*) from cal_bookings)::int as adopted,
        (select count(*) from cal_adoption_rejects where source_table = 'cal_bookings')::int as rejected`;
      expect(counts!.adopted + counts!.rejected).toBe(BOOKINGS);
      expect(counts!.rejected).toBe(expectedRejects().length);
    });
  }, 120_000);

  it('adopts a database where an older calsync already failed (empty journal), setting aside other tables in the way', async () => {
    const original = await originalCopy('failed');
    await withSql(original.url, async (sql) => {
      await sql`create schema drizzle`;
      await sql`create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`;
      await sql`create table cal_webhook_events (id uuid primary key, body jsonb)`;
      await sql`insert into cal_webhook_events values (gen_random_uuid(), '{"triggerEvent":"PING"}')`;
    });
    const { adopted } = await migrate(original.url);
    expect(adopted?.tables[0]?.rows).toBe(BOOKINGS);
    expect(adopted?.setAside).toEqual(['cal_webhook_events']);
    await withSql(original.url, async (sql) => {
      const [kept] = await sql`select count(*)::int as n from cal_webhook_events_original`;
      expect(kept!.n).toBe(1);
      const [fresh] = await sql`select count(*)::int as n from cal_webhook_events`;
      expect(fresh!.n).toBe(0);
    });
  }, 120_000);

  it('check reports exactly what adopting will do, and changes nothing', async () => {
    const original = await originalCopy('check');
    const before = await dump(original.url);
    const check = await checkAdoption(original.url);
    expect(await dump(original.url)).toEqual(before);
    expect(check.outcome).toBe('would_adopt');
    const { adopted } = await migrate(original.url);
    expect(check.tables).toEqual(adopted!.tables);
  }, 120_000);

  it('refuses a cal_bookings that is not the original design, naming what is wrong', async () => {
    const name = databaseName('foreign');
    await withSql(server, (sql) => sql.unsafe(`create database "${name}"`));
    const url = new URL(server);
    url.pathname = `/${name}`;
    await withSql(url.toString(), (sql) => sql`create table cal_bookings (id serial primary key, uid text)`);
    await expect(migrate(url.toString())).rejects.toThrow(
      /cal_bookings\.id is of type integer, not the original design's uuid/,
    );
  });
});
