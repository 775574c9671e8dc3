import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { getSyncRun } from '@calsync/db';
import { openSyncQueue, requestSync, type SyncQueue } from '@calsync/jobs';
import { resourcesOf, useTestEnv, waitUntil } from '@calsync/test-support';
import { loadWorkerEnv, type RunningWorker, startSyncProcessing } from '@calsync/worker';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke, mirrorSimBooking } from '../../test/actions.ts';
import { buildTestApi } from '../../test/app.ts';

const env = useTestEnv();
// A one-second window keeps the test short; the rule is Cal.com's per-minute one, scaled.
const LIMIT = 4;
const WINDOW_MS = 1_000;
let sim: CalSim;
let app: FastifyInstance;
let worker: RunningWorker;
let queue: SyncQueue;

beforeAll(async () => {
  sim = await startCalSim({ bookings: 3_000, rateLimit: LIMIT, rateWindowMs: WINDOW_MS, blockMs: WINDOW_MS });
  const vars = { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey, CAL_API_RATE_LIMIT: String(LIMIT) };
  app = await buildTestApi(env, vars, { availability: { budgetWindowMs: WINDOW_MS } });
  worker = await startSyncProcessing(
    { env: loadWorkerEnv(vars), resources: resourcesOf(env), logger: pino({ level: 'silent' }) },
    { budgetWindowMs: WINDOW_MS, schedules: false },
  );
  queue = openSyncQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => {
  await worker?.close();
  await queue?.close();
  await app?.close();
  await sim?.close();
});

describe('admin actions and a running reconciliation', () => {
  it('share the one budget: the write goes first, no window over the limit, no 429', async () => {
    const pending = sim.store.createBooking({ status: 'pending' });
    await mirrorSimBooking(env, sim, pending.uid);
    const run = await requestSync({ db: env.db, queue }, 'reconcile', 'manual');
    // The reconciliation is walking its 13 pages (3 a window for background work) when the admin clicks.
    await waitUntil('the reconciliation to be under way', () => sim.log.count() >= 2, undefined, { timeoutMs: 30_000 });

    const answer = await invoke(app, 'cal-bookings', { action: 'confirm', uid: pending.uid });
    const answeredAt = Date.now();

    expect(answer.statusCode, answer.body).toBe(200);
    const finished = await waitUntil(
      'the reconciliation to finish',
      async () => {
        const current = await getSyncRun(env.db, run.id);
        return current?.status === 'succeeded' || current?.status === 'failed' ? current : undefined;
      },
      undefined,
      { timeoutMs: 30_000 },
    );
    expect(finished.status).toBe('succeeded');
    // The write did not wait behind the sync's remaining pages.
    expect(finished.finishedAt!.getTime()).toBeGreaterThan(answeredAt);
    expect(sim.log.count429()).toBe(0);
    expect(sim.log.maxInWindow(WINDOW_MS)).toBeLessThanOrEqual(LIMIT);
    expect(sim.log.entries.filter((e) => e.method === 'POST').map((e) => e.path)).toEqual([
      `/v2/bookings/${pending.uid}/confirm`,
    ]);
  });
});
