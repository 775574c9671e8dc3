import type { PgClient as Sql } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertBooking } from '../test/app.ts';

const env = useTestEnv();

/** Runs `work` as `role` inside a transaction that is rolled back, so nothing a role does outlives the test. */
async function asRole<T>(role: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await env.sql
    .begin(async (tx) => {
      await tx.unsafe(`set local role ${role}`);
      result = await work(tx as unknown as Sql);
      throw new RollBack();
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error;
    });
  return result as T;
}
class RollBack extends Error {}

beforeAll(async () => {
  await insertBooking(env, { cal_uid: 'rls-1' });
  await insertBooking(env, { cal_uid: 'rls-2' });
  await env.sql`insert into cal_event_types (cal_event_type_id, title, active) values ('21', 'Open', true), ('22', 'Closed', false)`;
});

const upsert = (sql: Sql, title: string) => sql`
  insert into cal_bookings (cal_uid, title, status) values ('rls-writer', ${title}, 'scheduled')
  on conflict (cal_uid) do update set title = excluded.title
  returning title`;

describe('row-level security roles', () => {
  it('calsync_public sees active event types and zero bookings', async () => {
    const seen = await asRole('calsync_public', async (sql) => ({
      bookings: (await sql`select count(*)::int as n from cal_bookings`)[0]!.n,
      eventTypes: (await sql`select title from cal_event_types order by title`).map((r) => r.title),
    }));
    expect(seen).toEqual({ bookings: 0, eventTypes: ['Open'] });
  });

  it('calsync_public cannot write event types or bookings', async () => {
    await expect(
      asRole('calsync_public', (sql) => sql`insert into cal_event_types (cal_event_type_id) values ('23')`),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(asRole('calsync_public', (sql) => upsert(sql, 'nope'))).rejects.toMatchObject({ code: '42501' });
  });

  it('calsync_writer can upsert bookings (insert, then update on conflict)', async () => {
    const titles = await asRole('calsync_writer', async (sql) => [
      (await upsert(sql, 'first'))[0]!.title,
      (await upsert(sql, 'second'))[0]!.title,
      (await sql`select count(*)::int as n from cal_bookings`)[0]!.n,
    ]);
    expect(titles).toEqual(['first', 'second', 3]);
  });

  it('calsync_admin reads every booking, manages every event type, and cannot write bookings', async () => {
    const seen = await asRole('calsync_admin', async (sql) => {
      await sql`update cal_event_types set active = true where cal_event_type_id = '22'`;
      await sql`insert into cal_event_types (cal_event_type_id, title) values ('24', 'New')`;
      return {
        bookings: (await sql`select count(*)::int as n from cal_bookings`)[0]!.n,
        eventTypes: (await sql`select title from cal_event_types where active order by title`).map((r) => r.title),
      };
    });
    expect(seen).toEqual({ bookings: 2, eventTypes: ['Closed', 'New', 'Open'] });
    await expect(asRole('calsync_admin', (sql) => upsert(sql, 'nope'))).rejects.toMatchObject({ code: '42501' });
  });

  it("leaves calsync's own connection (the tables' owner) unrestricted: RLS is enabled, not forced", async () => {
    const tables = await env.sql`
      select relname, relrowsecurity, relforcerowsecurity from pg_class
      where relname in ('cal_bookings', 'cal_event_types') order by relname`;
    expect(tables).toEqual([
      { relname: 'cal_bookings', relrowsecurity: true, relforcerowsecurity: false },
      { relname: 'cal_event_types', relrowsecurity: true, relforcerowsecurity: false },
    ]);
    const [row] = await env.sql`select count(*)::int as n from cal_bookings`;
    expect(row!.n).toBe(2);
  });

  it('made the roles NOLOGIN', async () => {
    const roles = await env.sql`
      select rolname, rolcanlogin from pg_roles where rolname like 'calsync\\_%' and rolname in
      ('calsync_admin', 'calsync_writer', 'calsync_public') order by rolname`;
    expect(roles).toEqual([
      { rolname: 'calsync_admin', rolcanlogin: false },
      { rolname: 'calsync_public', rolcanlogin: false },
      { rolname: 'calsync_writer', rolcanlogin: false },
    ]);
  });
});
