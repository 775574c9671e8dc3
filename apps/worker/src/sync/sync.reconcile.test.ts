import { calBookings } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestedSkips, type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

const env = useTestEnv();
const BOOKINGS = 10_000;
// Cal.com's limit scaled down to 12 a second: 40 pages need several windows, so the budget really binds.
const RATE_LIMIT = 12;
const WINDOW_MS = 1_000;
let harness: SyncHarness;

beforeAll(async () => {
  harness = await startSyncHarness(env, { rateLimit: RATE_LIMIT, windowMs: WINDOW_MS, sim: { bookings: BOOKINGS } });
  await harness.startWorker();
});
afterAll(async () => {
  await harness?.close();
});

describe('reconciliation against the simulator', () => {
  it(`reconciles ${BOOKINGS} bookings in ⌈${BOOKINGS}/250⌉ + O(1) requests, within the budget, with no 429`, async () => {
    const run = await harness.finished((await harness.request('reconcile')).id, 20_000);
    // 40 full pages, then the empty 41st that ends the walk (Cal.com's totals are not trusted).
    expect(run).toMatchObject({ status: 'succeeded', error: null, pages: 41, rowsCreated: BOOKINGS, rowsUpdated: 0 });
    expect(run.requests).toBe(harness.sim.log.count());
    expect(run.requests).toBeLessThanOrEqual(Math.ceil(BOOKINGS / 250) + 1);
    expect(harness.sim.log.count429()).toBe(0);
    expect(harness.sim.log.maxInWindow(WINDOW_MS)).toBeLessThanOrEqual(RATE_LIMIT);
    expect(new Set(requestedSkips(harness.sim)).size).toBe(harness.sim.log.count()); // no page read twice
    const [rows] = await env.db.select({ n: count() }).from(calBookings);
    expect(rows?.n).toBe(BOOKINGS);
  });

  it('creates a booking whose webhook never came, repairs one that differs, and counts both', async () => {
    harness.sim.log.reset();
    const missed = harness.sim.store.createBooking();
    const changed = harness.sim.store.bookings()[17]!;
    harness.sim.store.updateBooking(changed.uid, { title: 'Renamed upstream' });
    const run = await harness.finished((await harness.request('reconcile')).id, 20_000);
    expect(run).toMatchObject({ status: 'succeeded', rowsCreated: 1, rowsUpdated: 1, rowsUnchanged: BOOKINGS - 1 });
    expect(harness.sim.log.count429()).toBe(0);
    const [row] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, missed.uid));
    expect(row).toMatchObject({ calBookingId: String(missed.id), source: 'api' });
    const [renamed] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, changed.uid));
    expect(renamed?.title).toBe('Renamed upstream');
    const warning = harness.logs.find((line) => line.runId === run.id && line.level === 40);
    expect(warning).toMatchObject({ created: 1, updated: 1 });
  });
});
