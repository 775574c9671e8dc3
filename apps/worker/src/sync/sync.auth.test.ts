import { calSyncRuns } from '@calsync/db';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

const env = useTestEnv();
let harness: SyncHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await env.db.delete(calSyncRuns);
});

async function jobSettled(id: string) {
  const state = await waitUntil(
    `job ${id} to settle`,
    () => harness!.queue.getJobState(id),
    (found) => found === 'failed' || found === 'completed',
  );
  // Read the job after its state: a copy read before it failed would show the attempts of then.
  return { job: await harness!.queue.getJob(id), state };
}

describe('a bad API key', () => {
  it('records an authentication error once: one request, run failed, no retries', async () => {
    harness = await startSyncHarness(env, { rateLimit: 20, windowMs: 1_000, apiKey: 'cal_live_not_the_right_key' });
    await harness.startWorker();
    const queued = await harness.request('reconcile');
    const run = await harness.finished(queued.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/CalAuthError: Cal\.com answered 401/);
    expect(run.requests).toBe(1);
    const { job, state } = await jobSettled(queued.id);
    expect(state).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    expect(harness.sim.log.count()).toBe(1);
    expect(harness.sim.log.entries[0]?.status).toBe(401);
  });
});

describe('no API key', () => {
  it('records API-backed runs as failed with a clear error, sends nothing, and still sweeps', async () => {
    harness = await startSyncHarness(env, { rateLimit: 20, windowMs: 1_000, apiKey: null });
    await harness.startWorker();
    for (const kind of ['bookings_sync', 'reconcile', 'event_types_sync'] as const) {
      const run = await harness.finished((await harness.request(kind)).id);
      expect(run).toMatchObject({ status: 'failed', requests: 0 });
      expect(run.error).toContain('CAL_API_KEY is not set');
      expect((await jobSettled(run.id)).job?.attemptsMade).toBe(1);
    }
    expect(harness.sim.log.count()).toBe(0);
    const sweep = await harness.finished((await harness.request('complete_past')).id);
    expect(sweep.status).toBe('succeeded');
    expect(harness.logs.some((line) => String(line.msg).includes('CAL_API_KEY is not set'))).toBe(true);
  });
});
