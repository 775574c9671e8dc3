import { calSyncRuns, getSyncRun } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { UnrecoverableError, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncJob } from './catalog.ts';
import { workerConnection } from './connection.ts';
import { openSyncQueue, requestSync, type SyncQueue } from './request-sync.ts';

const env = useTestEnv();
let queue: SyncQueue;

beforeAll(() => {
  queue = openSyncQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => {
  await queue.close();
});

describe('requestSync', () => {
  it('queues a run and a job whose id is the run id', async () => {
    const run = await requestSync({ db: env.db, queue }, 'bookings_sync');
    expect(run).toMatchObject({ kind: 'bookings_sync', trigger: 'manual', status: 'queued' });
    const job = await queue.getJob(run.id);
    expect(job?.name).toBe('bookings_sync');
    expect(job?.data).toEqual({ kind: 'bookings_sync', trigger: 'manual', runId: run.id });
    expect(await getSyncRun(env.db, run.id)).toMatchObject({ id: run.id, status: 'queued' });
  });

  it('returns the active run instead of starting a second, even when asked concurrently', async () => {
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => requestSync({ db: env.db, queue }, 'reconcile', 'manual')),
    );
    expect(new Set(runs.map((r) => r.id)).size).toBe(1);
    const rows = await env.db.select().from(calSyncRuns).where(eq(calSyncRuns.kind, 'reconcile'));
    expect(rows).toHaveLength(1);
    expect(await queue.getJobCountByTypes('waiting', 'prioritized', 'delayed')).toBe(2); // bookings_sync + reconcile
  });

  it('returns a running run as is, and starts a new one once it has finished', async () => {
    const first = await requestSync({ db: env.db, queue }, 'event_types_sync');
    await env.db.update(calSyncRuns).set({ status: 'running' }).where(eq(calSyncRuns.id, first.id));
    expect((await requestSync({ db: env.db, queue }, 'event_types_sync')).id).toBe(first.id);
    await env.db.update(calSyncRuns).set({ status: 'succeeded' }).where(eq(calSyncRuns.id, first.id));
    const second = await requestSync({ db: env.db, queue }, 'event_types_sync');
    expect(second.id).not.toBe(first.id);
    expect(second.status).toBe('queued');
  });

  it('replaces a queued run whose job failed before it started', async () => {
    // A queue of its own: the worker below fails every job it takes.
    const prefix = `${env.redisPrefix}-failing`;
    const failing = openSyncQueue({ redisUrl: env.redisUrl, prefix });
    const worker = new Worker(
      syncJob.queue,
      async () => {
        throw new UnrecoverableError('PostgreSQL is down');
      },
      { prefix, connection: workerConnection(env.redisUrl) },
    );
    try {
      const jobFailed = new Promise((resolve) => worker.once('failed', resolve));
      const first = await requestSync({ db: env.db, queue: failing }, 'complete_past');
      await jobFailed;
      const second = await requestSync({ db: env.db, queue: failing }, 'complete_past');
      expect(second.id).not.toBe(first.id);
      expect(second.status).toBe('queued');
      expect(await getSyncRun(env.db, first.id)).toMatchObject({
        status: 'failed',
        error: 'its job failed before the run started: PostgreSQL is down',
      });
    } finally {
      await worker.close();
      await failing.close();
    }
  });
});
