import { calBookings } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

const env = useTestEnv();
let harness: SyncHarness;

beforeAll(async () => {
  harness = await startSyncHarness(env, { rateLimit: 20, windowMs: 1_000, sim: { bookings: 600 } });
  await harness.startWorker();
});
afterAll(async () => {
  await harness?.close();
});

function bookingQueries() {
  return harness.sim.log.entries.filter((entry) => entry.path === '/v2/bookings').map((entry) => entry.query);
}

describe('incremental bookings sync', () => {
  it('reads everything the first time, sorted by updatedAt, 250 a page, and records the watermark', async () => {
    const run = await harness.finished((await harness.request('bookings_sync')).id);
    expect(run).toMatchObject({ status: 'succeeded', requests: 3, pages: 3, rowsCreated: 600 });
    const newest = Math.max(...harness.sim.store.bookings().map((b) => Date.parse(b.updatedAt)));
    expect(run.watermark?.getTime()).toBe(newest);
    expect(bookingQueries()[0]).toMatchObject({ take: '250', skip: '0', sortUpdatedAt: 'asc' });
    expect(bookingQueries()[0]).not.toHaveProperty('afterUpdatedAt');
  });

  it('costs one request when nothing changed upstream, asking from the watermark minus the overlap', async () => {
    harness.sim.log.reset();
    const run = await harness.finished((await harness.request('bookings_sync')).id);
    expect(run).toMatchObject({ status: 'succeeded', requests: 1, pages: 1, rowsCreated: 0, rowsUpdated: 0 });
    expect(harness.sim.log.count()).toBe(1);
    const watermark = run.watermark?.getTime() ?? 0;
    expect(Date.parse(String(bookingQueries()[0]?.afterUpdatedAt))).toBe(watermark - 60_000);
  });

  it('picks up an upstream change and a booking whose webhook never came in the next run', async () => {
    harness.sim.log.reset();
    const changed = harness.sim.store.bookings()[3]!;
    harness.sim.store.cancelBooking(changed.uid, 'Changed my mind');
    const created = harness.sim.store.createBooking();
    const run = await harness.finished((await harness.request('bookings_sync')).id);
    expect(run).toMatchObject({ status: 'succeeded', requests: 1, rowsCreated: 1, rowsUpdated: 1 });
    const [cancelled] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, changed.uid));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'Changed my mind' });
    const [fresh] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, created.uid));
    expect(fresh?.calBookingId).toBe(String(created.id));
  });
});
