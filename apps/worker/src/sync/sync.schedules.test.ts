import { calSyncRuns } from '@calsync/db';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

const env = useTestEnv();
let harness: SyncHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function schedulers() {
  const list = await harness!.queue.getJobSchedulers();
  return Object.fromEntries(list.map((s) => [s.key, { every: s.every, pattern: s.pattern, tz: s.tz }]));
}

describe('sync schedules', () => {
  it('are upserted with stable ids by workers starting at once, and their jobs create scheduled runs', async () => {
    harness = await startSyncHarness(env, { rateLimit: 20, windowMs: 1_000, sim: { bookings: 20 } });
    await Promise.all([harness.startWorker({ schedules: true }), harness.startWorker({ schedules: true })]);
    expect(await schedulers()).toEqual({
      bookings_sync: { every: 300_000, pattern: undefined, tz: undefined },
      reconcile: { every: undefined, pattern: '0 3 * * *', tz: 'UTC' },
      event_types_sync: { every: 3_600_000, pattern: undefined, tz: undefined },
      complete_past: { every: 300_000, pattern: undefined, tz: undefined },
    });
    // Interval schedulers fire at once: the bookings sync runs with trigger "schedule".
    const runs = await waitUntil(
      'the scheduled bookings sync to succeed',
      () => env.db.select().from(calSyncRuns).where(eq(calSyncRuns.kind, 'bookings_sync')),
      (found) => found[0]?.status === 'succeeded',
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded', rowsCreated: 20 });
  });

  it('leave API-backed schedules out without an API key', async () => {
    harness = await startSyncHarness(env, { rateLimit: 20, windowMs: 1_000, apiKey: null });
    await harness.startWorker({ schedules: true });
    expect(Object.keys(await schedulers())).toEqual(['complete_past']);
  });

  it('a scheduled job leaves, recording nothing, when a run of its kind is already active', async () => {
    await env.db.delete(calSyncRuns);
    harness = await startSyncHarness(env, { rateLimit: 20, windowMs: 1_000, sim: { bookings: 20 } });
    await harness.queue.obliterate({ force: true }); // nothing left over from the tests above
    // The scheduled job is first in line; the manual run it meets is queued behind it.
    const scheduled = await harness.queue.add('event_types_sync', { kind: 'event_types_sync', trigger: 'schedule' });
    const manual = await harness.request('event_types_sync');
    await harness.startWorker({ concurrency: 1 });
    expect((await harness.finished(manual.id)).status).toBe('succeeded');
    const job = await harness.queue.getJob(scheduled.id!);
    expect(job?.returnvalue).toEqual({ skipped: true });
    expect(await env.db.select().from(calSyncRuns)).toHaveLength(1);
  });
});
