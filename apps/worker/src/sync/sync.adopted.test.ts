import { randomUUID } from 'node:crypto';
import type { CalApiBooking } from '@calsync/cal-client';
import { SimStore, toV2Booking } from '@calsync/cal-sim';
import { calBookings, createDb, migrate } from '@calsync/db';
import { createOriginalDatabase } from '@calsync/db/testing';
import { useTestEnv } from '@calsync/test-support';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startSyncHarness } from '../../test/sync-harness.ts';
import { apiStatusToBookingStatus } from './api-booking-to-state.ts';

const env = useTestEnv();
const BOOKINGS = 300;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function serverUrl(): string {
  const url = new URL(env.databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

describe('a database adopted from the original edge functions', () => {
  it('is verified by the reconciliation adoption queues: every adopted row ends equal to Cal.com, keeping its id', async () => {
    // The same seed as the simulator below: the original tables hold the account's bookings as the edge functions
    // wrote them, every third one out of date (a title, a status Cal.com has since changed).
    const upstream = new SimStore({ bookings: BOOKINGS }).bookings();
    const name = `calsync_adopted_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const original = await createOriginalDatabase(serverUrl(), name, 0);
    cleanups.push(async () => {
      const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    });
    const seedSql = postgres(original.url, { max: 1, onnotice: () => {} });
    const stale = new Set<string>();
    const rows = upstream.map((booking, i) => {
      const outOfDate = i % 3 === 0;
      if (outOfDate) stale.add(booking.uid);
      return {
        id: randomUUID(),
        cal_booking_id: String(booking.id),
        cal_uid: booking.uid,
        title: outOfDate ? 'Old title' : booking.title,
        status: outOfDate
          ? 'ACCEPTED'
          : ({ accepted: 'accepted', pending: 'PENDING', cancelled: 'canceled' }[
              booking.status as 'accepted' | 'pending' | 'cancelled'
            ] ?? booking.status),
        start_time: booking.start,
        end_time: booking.end,
        attendee_email: booking.attendee.email,
        updated_at: '2025-01-01T00:00:00Z',
      };
    });
    await seedSql`insert into cal_bookings ${seedSql(rows)}`;
    await seedSql.end();

    const adoption = await migrate(original.url);
    expect(adoption.adopted?.outcome).toBe('adopted');
    const { db, client: sql } = createDb(original.url, { max: 4 });
    cleanups.push(async () => await sql.end());
    const harness = await startSyncHarness(
      { ...env, databaseUrl: original.url, db, sql },
      { rateLimit: 50, windowMs: 1_000, sim: { bookings: BOOKINGS } },
    );
    cleanups.push(harness.close);
    await harness.startWorker();
    const run = await harness.finished((await harness.request('reconcile')).id, 30_000);
    expect(run).toMatchObject({ status: 'succeeded', itemsSkipped: 0, rowsCreated: 0 });
    expect(run.rowsUpdated).toBeGreaterThanOrEqual(stale.size); // every out-of-date row was corrected

    const mirrored = new Map((await db.select().from(calBookings)).map((row) => [row.calUid, row]));
    expect(mirrored.size).toBe(BOOKINGS);
    const now = new Date();
    for (const [i, booking] of harness.sim.store.bookings().entries()) {
      const row = mirrored.get(booking.uid);
      const api = toV2Booking(booking) as unknown as CalApiBooking;
      expect(row, booking.uid).toMatchObject({
        id: rows[i]!.id, // adoption and the reconciliation keep the original id
        title: booking.title,
        status: apiStatusToBookingStatus(api, now),
      });
    }
  });
});
