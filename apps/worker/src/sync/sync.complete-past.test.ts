import { calBookings } from '@calsync/db';
import { availabilityVersion } from '@calsync/jobs';
import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';
import { emptyBookingState } from '../bookings/booking-state.ts';
import { upsertBookings } from '../bookings/upsert-bookings.ts';

const env = useTestEnv();
let harness: SyncHarness;

beforeAll(async () => {
  harness = await startSyncHarness(env, { rateLimit: 20, windowMs: 1_000, apiKey: null });
  await harness.startWorker();
});
afterAll(async () => {
  await harness?.close();
});

const hour = 3_600_000;

function booking(uid: string, status: 'scheduled' | 'pending' | 'cancelled', endOffsetMs: number) {
  const end = new Date(Date.now() + endOffsetMs);
  return {
    state: {
      ...emptyBookingState(uid, status),
      eventTypeId: '77',
      startTime: new Date(end.getTime() - hour),
      endTime: end,
    },
    infoAt: new Date(Date.now() - 2 * hour),
    source: 'api' as const,
  };
}

describe('completion sweep', () => {
  it('marks scheduled bookings whose end has passed as completed, and nothing else, without any request', async () => {
    await upsertBookings(env.db, [
      booking('ended', 'scheduled', -hour),
      booking('ahead', 'scheduled', hour),
      booking('pending-ended', 'pending', -hour),
      booking('cancelled-ended', 'cancelled', -hour),
    ]);
    const versionBefore = await availabilityVersion(env.redis, env.redisPrefix, '77');
    const run = await harness.finished((await harness.request('complete_past')).id);
    expect(run).toMatchObject({ status: 'succeeded', requests: 0, rowsUpdated: 1 });
    const rows = await env.db.select().from(calBookings);
    const status = Object.fromEntries(rows.map((row) => [row.calUid, row.status]));
    expect(status).toEqual({
      ended: 'completed',
      ahead: 'scheduled',
      'pending-ended': 'pending',
      'cancelled-ended': 'cancelled',
    });
    expect(await availabilityVersion(env.redis, env.redisPrefix, '77')).not.toBe(versionBefore);
    expect(harness.sim.log.count()).toBe(0);

    const again = await harness.finished((await harness.request('complete_past')).id);
    expect(again).toMatchObject({ status: 'succeeded', rowsUpdated: 0 });
  });
});
