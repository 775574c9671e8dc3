import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesSince, feedMark, typesByBooking } from '../../test/feed-reader.ts';
import { type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

// Syncs, the completion sweep and the event-type sync against the simulator, and the Changes they leave behind.

const env = useTestEnv();
let harness: SyncHarness;

beforeAll(async () => {
  harness = await startSyncHarness(env, { rateLimit: 50, windowMs: 1_000, sim: { bookings: 30 } });
  await harness.startWorker();
});
afterAll(async () => {
  await harness?.close();
});

async function sync(kind: 'bookings_sync' | 'reconcile' | 'complete_past' | 'event_types_sync') {
  const run = await harness.finished((await harness.request(kind)).id);
  expect(run.status, run.error ?? '').toBe('succeeded');
  return run;
}

describe('syncs write the change feed', () => {
  it('the first sync creates one booking.created per booking; an unchanged sync writes nothing', async () => {
    const mark = await feedMark(env);
    await sync('bookings_sync');
    const changes = await changesSince(env, mark);
    expect(changes).toHaveLength(30);
    expect(new Set(changes.map((c) => c.type))).toEqual(new Set(['booking.created']));

    const quiet = await feedMark(env);
    await sync('bookings_sync');
    expect(await changesSince(env, quiet)).toEqual([]);
  });

  it('an upstream cancellation picked up by the sync is one booking.cancelled', async () => {
    const target = harness.sim.store.bookings().find((b) => b.status === 'accepted')!;
    const mark = await feedMark(env);
    harness.sim.store.cancelBooking(target.uid, 'Changed my mind');
    await sync('bookings_sync');
    expect(await typesByBooking(env, mark)).toEqual({ [target.uid]: ['booking.cancelled'] });
  });

  it('a reconciliation that corrects a row writes that correction as a Change', async () => {
    const target = harness.sim.store.bookings().find((b) => b.status === 'accepted' && !b.seatsPerTimeSlot)!;
    await env.sql`update cal_bookings set title = 'Edited by hand' where cal_uid = ${target.uid}`;
    const mark = await feedMark(env);
    await sync('reconcile');
    const changes = await changesSince(env, mark);
    expect(changes.map((c) => [c.booking_uid, c.type])).toEqual([[target.uid, 'booking.updated']]);
    expect(changes[0]!.changed).toEqual({ title: { from: 'Edited by hand', to: target.title } });
  });

  it('the completion sweep writes booking.completed for each booking it completes', async () => {
    await env.sql`update cal_bookings set end_time = now() - interval '1 hour', start_time = now() - interval '2 hours'
      where cal_uid in (select cal_uid from cal_bookings where status = 'scheduled' order by cal_uid limit 2)`;
    const mark = await feedMark(env);
    const run = await sync('complete_past');
    const changes = await changesSince(env, mark);
    expect(changes).toHaveLength(run.rowsUpdated);
    expect(changes.length).toBeGreaterThanOrEqual(2);
    for (const change of changes) {
      expect(change.type).toBe('booking.completed');
      expect(change.changed).toEqual({ status: { from: 'scheduled', to: 'completed' } });
    }
  });

  it('the event-type sync writes event_type.created, then nothing when nothing changed', async () => {
    const mark = await feedMark(env);
    await sync('event_types_sync');
    const changes = await changesSince(env, mark);
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((c) => c.type))).toEqual(new Set(['event_type.created']));
    expect(changes.every((c) => c.cal_event_type_id !== null && c.booking_uid === null)).toBe(true);

    const quiet = await feedMark(env);
    await sync('event_types_sync');
    expect(await changesSince(env, quiet)).toEqual([]);
  });
});
