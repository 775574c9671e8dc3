import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { calSyncRuns, getSyncRun } from '@calsync/db';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestedSkips, type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

const env = useTestEnv();
const BOOKINGS = 5_000; // 20 pages
const RATE_LIMIT = 6;
const WINDOW_MS = 500;
const LOCK_MS = 1_000;
let harness: SyncHarness;
let child: ChildProcess | undefined;

beforeAll(async () => {
  harness = await startSyncHarness(env, { rateLimit: RATE_LIMIT, windowMs: WINDOW_MS, sim: { bookings: BOOKINGS } });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await harness?.close();
});

async function startChildWorker(): Promise<ChildProcess> {
  const config = {
    databaseUrl: env.databaseUrl,
    redisUrl: env.redisUrl,
    redisPrefix: env.redisPrefix,
    calApiUrl: harness.sim.url,
    calApiKey: harness.sim.apiKey,
    rateLimit: RATE_LIMIT,
    windowMs: WINDOW_MS,
    lockDurationMs: LOCK_MS,
    // BullMQ skips stalled checks for as long as the last checker's interval: keep every worker's short.
    stalledIntervalMs: 300,
  };
  const script = fileURLToPath(new URL('../../test/sync-worker-process.ts', import.meta.url));
  const started = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  started.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  await waitUntil('the child worker to start', () => {
    if (started.exitCode !== null) throw new Error(`child worker exited with ${started.exitCode}`);
    return output.includes('ready');
  });
  return started;
}

describe('a worker killed mid-reconciliation', () => {
  it('is resumed by another worker from its checkpoint, without re-reading finished pages', async () => {
    child = await startChildWorker();
    const queued = await harness.request('reconcile');
    await waitUntil(
      'four pages written',
      () => getSyncRun(env.db, queued.id),
      (run) => (run?.pages ?? 0) >= 4,
    );
    child.kill('SIGKILL');
    await once(child, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 100)); // a commit sent just before the kill lands
    const atKill = await getSyncRun(env.db, queued.id);
    expect(atKill).toMatchObject({ status: 'running' });
    const resumeSkip = (atKill?.checkpoint as { skip: number } | null)?.skip ?? -1;
    expect(resumeSkip).toBe((atKill?.pages ?? 0) * 250);
    expect(atKill?.pages).toBeLessThan(20);
    const requestsBeforeKill = harness.sim.log.count();

    const resumer = await harness.startWorker({ lockDurationMs: LOCK_MS, stalledIntervalMs: 300 });
    const run = await harness.finished(queued.id, 20_000);
    await resumer.close(); // the next test wants to be the only worker

    // 20 full pages and the empty 21st that ends the walk.
    expect(run).toMatchObject({ status: 'succeeded', pages: 21, rowsCreated: BOOKINGS, rowsUpdated: 0 });
    const skipsAfterKill = requestedSkips(harness.sim).slice(requestsBeforeKill);
    expect(Math.min(...skipsAfterKill)).toBe(resumeSkip);
    expect(skipsAfterKill).toEqual(Array.from({ length: 21 - (atKill?.pages ?? 0) }, (_, i) => resumeSkip + i * 250));
    // At most the two requests not yet committed when the worker died (the page being written and the next one,
    // asked for beside it) were sent twice.
    expect(harness.sim.log.count()).toBeLessThanOrEqual(23);
    expect(harness.sim.log.count429()).toBe(0);
  });
});

describe('a worker shut down mid-reconciliation', () => {
  it('hands the job back without using an attempt; the next worker resumes at the checkpoint', async () => {
    harness.sim.log.reset();
    const first = await harness.startWorker();
    const queued = await harness.request('reconcile');
    expect((await harness.request('reconcile')).id).toBe(queued.id); // one active run per kind
    await waitUntil(
      'three pages written',
      () => getSyncRun(env.db, queued.id),
      (run) => (run?.pages ?? 0) >= 3,
    );
    await first.close();
    const atClose = await getSyncRun(env.db, queued.id);
    expect(atClose?.status).toBe('running');
    const job = await harness.queue.getJob(queued.id);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.attemptsMade).toBe(0);
    const requestsBefore = harness.sim.log.count();

    await harness.startWorker();
    const run = await harness.finished(queued.id, 20_000);
    expect(run).toMatchObject({ status: 'succeeded', pages: 21, rowsUnchanged: BOOKINGS });
    const resumeSkip = (atClose?.checkpoint as { skip: number } | null)?.skip;
    expect(Math.min(...requestedSkips(harness.sim).slice(requestsBefore))).toBe(resumeSkip);
  });
});

describe('a run whose job was lost', () => {
  it('is adopted by the next scheduled job of its kind, which resumes it from the checkpoint', async () => {
    harness.sim.log.reset();
    const longAgo = new Date(Date.now() - 3_600_000);
    const [orphan] = await env.db
      .insert(calSyncRuns)
      .values({
        kind: 'reconcile',
        trigger: 'manual',
        status: 'running',
        startedAt: longAgo,
        updatedAt: longAgo,
        pages: 2,
        requests: 2,
        rowsUnchanged: 500,
        checkpoint: { query: { sortCreated: 'asc' }, skip: 500 },
      })
      .returning();
    await harness.queue.add('reconcile', { kind: 'reconcile', trigger: 'schedule' });
    const run = await harness.finished(orphan!.id, 20_000);
    expect(run).toMatchObject({ status: 'succeeded', pages: 21, rowsUnchanged: BOOKINGS });
    expect(requestedSkips(harness.sim)[0]).toBe(500);
    expect(await env.db.select().from(calSyncRuns).where(eq(calSyncRuns.kind, 'reconcile'))).toHaveLength(3);
  });
});
