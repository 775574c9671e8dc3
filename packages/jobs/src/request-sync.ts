import {
  type CalSyncRun,
  createOrGetActiveSyncRun,
  type Database,
  failQueuedSyncRun,
  type SyncKind,
  type SyncTrigger,
} from '@calsync/db';
import { Queue } from 'bullmq';
import { type SyncJobData, syncJob } from './catalog.ts';
import { producerConnection } from './connection.ts';

/** The `sync` queue, typed by the catalog: job name = the run's kind. */
export type SyncQueue = Queue<SyncJobData, unknown, SyncKind>;

/**
 * Opens a producer on the `sync` queue. By default commands fail fast while Redis is down (no offline queue), so a
 * request path answers an error instead of hanging; `failFast: false` waits for Redis instead. Close it with
 * `queue.close()`.
 */
export function openSyncQueue(options: { redisUrl: string; prefix: string; failFast?: boolean }): SyncQueue {
  const connection = producerConnection(options.redisUrl, { failFast: options.failFast ?? true });
  const queue = new Queue<SyncJobData, unknown, SyncKind>(syncJob.queue, { prefix: options.prefix, connection });
  queue.on('error', () => {}); // a Redis outage surfaces as failed commands where they are awaited
  return queue;
}

/**
 * Queues a sync of this kind and returns its run; if a run of that kind is already queued or running, returns that
 * one instead of starting a second. The BullMQ job's id is the run's id.
 */
export async function requestSync(
  deps: { db: Database; queue: SyncQueue },
  kind: SyncKind,
  trigger: SyncTrigger = 'manual',
): Promise<CalSyncRun> {
  let { run, created } = await createOrGetActiveSyncRun(deps.db, kind, trigger);
  if (!created && run.status === 'queued' && (await failQueuedRunWithFailedJob(deps, run))) {
    ({ run, created } = await createOrGetActiveSyncRun(deps.db, kind, trigger));
  }
  if (!created && run.status !== 'queued') return run;
  try {
    // For an existing queued run this is a no-op when its job exists, and heals a job Redis lost.
    await deps.queue.add(kind, { kind, trigger: run.trigger, runId: run.id }, { ...syncJob.options, jobId: run.id });
  } catch (error) {
    if (created) {
      // A queued run with no job would block its kind forever: record why it never started.
      await failQueuedSyncRun(deps.db, run.id, `could not enqueue: ${(error as Error).message}`);
    }
    throw error;
  }
  return run;
}

/**
 * A queued run whose job failed before it started (e.g. PostgreSQL was down for every attempt) would never run, and
 * adding its job again is a no-op while the failed job keeps its id: mark the run failed with the job's reason, so a
 * new run can start. True when it did.
 */
async function failQueuedRunWithFailedJob(deps: { db: Database; queue: SyncQueue }, run: CalSyncRun): Promise<boolean> {
  const job = await deps.queue.getJob(run.id);
  if (!job || !(await job.isFailed())) return false;
  return await failQueuedSyncRun(deps.db, run.id, `its job failed before the run started: ${job.failedReason}`);
}
