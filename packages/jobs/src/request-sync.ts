import { type CalSyncRun, calSyncRuns, type Database, type SyncKind, type SyncTrigger } from '@calsync/db';
import { Queue } from 'bullmq';
import { and, eq, inArray } from 'drizzle-orm';
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

/** The run with this id, or undefined (also for a string that is not a uuid). */
export async function getSyncRun(db: Database, id: string): Promise<CalSyncRun | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const [run] = await db.select().from(calSyncRuns).where(eq(calSyncRuns.id, id));
  return run;
}

/** The queued or running run of this kind, if any (at most one exists: a partial unique index says so). */
export async function getActiveSyncRun(db: Database, kind: SyncKind): Promise<CalSyncRun | undefined> {
  const [run] = await db
    .select()
    .from(calSyncRuns)
    .where(and(eq(calSyncRuns.kind, kind), inArray(calSyncRuns.status, ['queued', 'running'])));
  return run;
}

/**
 * Creates a queued run of this kind and returns it, unless one is already queued or running (an insert that loses
 * the race on the partial unique index returns nothing): then returns that one. Race-free across processes.
 */
export async function createOrGetActiveSyncRun(
  db: Database,
  kind: SyncKind,
  trigger: SyncTrigger,
): Promise<{ run: CalSyncRun; created: boolean }> {
  // The active run can finish between the failed insert and the select: then the next insert wins.
  for (let attempt = 0; attempt < 5; attempt++) {
    const [created] = await db.insert(calSyncRuns).values({ kind, trigger }).onConflictDoNothing().returning();
    if (created) return { run: created, created: true };
    const active = await getActiveSyncRun(db, kind);
    if (active) return { run: active, created: false };
  }
  throw new Error(`could not create or find an active ${kind} run`);
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
      await deps.db
        .update(calSyncRuns)
        .set({ status: 'failed', finishedAt: new Date(), error: `could not enqueue: ${(error as Error).message}` })
        .where(eq(calSyncRuns.id, run.id));
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
  const failed = await deps.db
    .update(calSyncRuns)
    .set({
      status: 'failed',
      finishedAt: new Date(),
      error: `its job failed before the run started: ${job.failedReason}`,
    })
    .where(and(eq(calSyncRuns.id, run.id), eq(calSyncRuns.status, 'queued')))
    .returning({ id: calSyncRuns.id });
  return failed.length > 0;
}
