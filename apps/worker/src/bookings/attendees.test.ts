import { createDb, type Database, queryRow, transaction } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttendeeChange, type AttendeeInfo, writeAttendees } from './attendees.ts';

const env = useTestEnv();

const PAGE = 250;
const at = new Date('2026-02-01T00:00:00Z');

/** Bookings `from`…`to` with one attendee each, in one statement each, so PostgreSQL has no statistics for them. */
async function fillAccount(db: Database, from: number, to: number) {
  await db.execute(sql`insert into cal_bookings (cal_uid, status, source)
    select 'big-' || g, 'scheduled', 'api' from generate_series(${from}::int, ${to}::int) g`);
  await db.execute(sql`insert into cal_booking_attendees (booking_uid, email, position, info_at)
    select 'big-' || g, 'guest-' || g || '@example.com', 0, '2026-01-01' from generate_series(${from}::int, ${to}::int) g`);
}

function guest(email: string): AttendeeInfo {
  return { email, name: 'Renamed', timeZone: null, locale: null, phoneNumber: null, seatUid: null, absent: null };
}

/** What a page of API answers says about `uids`: new attendee lists, no-show marks and seats given up. */
function pageOfAnswers(uids: string[]): AttendeeChange[] {
  return uids.flatMap((uid) => {
    const email = `renamed-${uid}@example.com`;
    return [
      { kind: 'replace' as const, uid, at, attendees: [guest(email)] },
      { kind: 'absent' as const, uid, at, marks: [{ email, noShow: true }] },
      { kind: 'leave' as const, uid, at, seated: true, attendees: [guest(email)] },
    ];
  });
}

/** Writes the changes in one transaction; returns how often that transaction read the attendees table end to end. */
async function fullScansWhileWriting(db: Database, changes: AttendeeChange[]): Promise<number> {
  return await transaction(db, async (tx) => {
    await writeAttendees(tx, changes);
    const row = await queryRow<{ seq_scan: number }>(
      tx,
      sql`select seq_scan::int from pg_stat_xact_user_tables where relname = 'cal_booking_attendees'`,
    );
    return row?.seq_scan ?? 0;
  });
}

describe('writeAttendees on a growing account', () => {
  // One connection, as a worker's walk mostly has: PostgreSQL keeps a prepared statement's plans per connection.
  let one: ReturnType<typeof createDb>;
  beforeAll(async () => {
    one = createDb(env.databaseUrl, { max: 1 });
    await env.db.execute(sql`alter table cal_booking_attendees set (autovacuum_enabled = false)`);
  });
  afterAll(async () => await one.client.end());

  it('finds a page of attendees by index after the table grew, with no statistics and plans made when it was small', async () => {
    // A reconciliation grows the table faster than autovacuum analyses it. Its first pages run on a small table, where
    // reading it whole is the best plan; a plan kept from then would read the grown table whole for every page.
    await fillAccount(one.db, 1, 100);
    for (let round = 0; round < 8; round++) {
      const uids = Array.from({ length: 10 }, (_, i) => `big-${round * 10 + i + 1}`);
      await fullScansWhileWriting(one.db, pageOfAnswers(uids));
    }
    await fillAccount(one.db, 101, 20_000);

    const page = Array.from({ length: PAGE }, (_, i) => `big-${1_000 + i * 7}`);
    expect(await fullScansWhileWriting(one.db, pageOfAnswers(page))).toBe(0);

    const [counts] = await env.sql<Array<{ left: number; absent: number; cancelled: number }>>`select
      count(*) filter (where left_at is not null)::int as left,
      count(*) filter (where absent)::int as absent,
      (select count(*)::int from cal_bookings where status = 'cancelled') as cancelled
      from cal_booking_attendees`;
    // Each booking written: its first guest left (the answer no longer lists them); the renamed one joined, was
    // marked absent and gave up the seat, so nobody holds one and the booking is cancelled.
    const written = 80 + PAGE;
    expect(counts).toEqual({ left: 2 * written, absent: written, cancelled: written });
  });
});
