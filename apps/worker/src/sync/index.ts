import { type CalClient, createCalClient, createRateBudget, type RateBudget } from '@calsync/cal-client';
import type { SyncKind } from '@calsync/db';
import { calBudgetKeyPrefix, type SyncJobData, type SyncQueue, syncJob, workerConnection } from '@calsync/jobs';
import { observeCalRequest, observeJob } from '@calsync/service-kit';
import { Queue, Worker } from 'bullmq';
import { keepScheduled } from '../keep-scheduled.ts';
import type { RunningWorker, WorkerDeps } from '../worker-context.ts';
import { createSyncProcessor } from './process-sync-job.ts';
import { syncSchedulers } from './schedules.ts';

/** Knobs with production defaults; tests scale time down. */
export interface SyncProcessingOptions {
  /** The shared budget's rolling window (default 60 s, like Cal.com's). */
  budgetWindowMs?: number;
  /** Share of the budget background syncs may take (the cal-client default keeps some for interactive calls). */
  budgetBackgroundShare?: number;
  /** Jobs one worker runs at once (default 2): a long reconciliation does not hold up the other kinds. */
  concurrency?: number;
  /** BullMQ lock; a killed worker's job is picked up again this long after it died (default 30 s). */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died (default 30 s). */
  stalledIntervalMs?: number;
  /** An active run untouched this long is adopted by the next scheduled job of its kind (default 15 min). */
  staleAfterMs?: number;
  /** Upsert the job schedulers at start (default true). */
  schedules?: boolean;
}

/**
 * Starts the `sync` queue's worker (bookings syncs, reconciliations, event-type syncs, the completion sweep) and
 * upserts their schedules. Without CAL_API_KEY it still starts: API-backed runs are recorded as failed.
 */
export async function startSyncProcessing(
  deps: WorkerDeps,
  options: SyncProcessingOptions = {},
): Promise<RunningWorker> {
  const { env, resources } = deps;
  const logger = deps.logger.child({ queue: syncJob.queue });
  const budget = createRateBudget({
    redis: resources.redis,
    keyPrefix: calBudgetKeyPrefix(resources.redisPrefix),
    limitPerMinute: env.CAL_API_RATE_LIMIT,
    windowMs: options.budgetWindowMs,
    backgroundShare: options.budgetBackgroundShare,
  });
  const apiKey = env.CAL_API_KEY;
  if (!apiKey) logger.warn('CAL_API_KEY is not set: syncs from Cal.com are off (webhooks still work)');
  const openClient = apiKey
    ? (onRequest: () => void): CalClient =>
        createCalClient({
          baseUrl: env.CAL_API_URL,
          apiKey,
          budget: countingBudget(budget, onRequest),
          onRequest: observeCalRequest, // Cal.com request metrics
        })
    : undefined;

  const connection = workerConnection(resources.redisUrl);
  const queue: SyncQueue = new Queue<SyncJobData, unknown, SyncKind>(syncJob.queue, {
    prefix: resources.redisPrefix,
    connection,
  });
  queue.on('error', (err) => logger.error({ err }, 'sync queue error'));
  let stopSchedules = () => {};
  if (options.schedules ?? true) {
    const schedulers = await syncSchedulers(queue, {
      bookingsSyncEveryMs: env.CAL_SYNC_EVERY,
      reconcileCron: env.CAL_RECONCILE_CRON,
      withApi: Boolean(apiKey),
    });
    stopSchedules = await keepScheduled(queue, schedulers, (err) =>
      logger.warn({ err }, 'could not check the sync schedules'),
    );
  }

  const processor = createSyncProcessor(
    {
      db: resources.db,
      redis: resources.redis,
      redisPrefix: resources.redisPrefix,
      logger,
      staleAfterMs: options.staleAfterMs ?? 15 * 60_000,
      openClient,
    },
    () => worker,
  );
  const worker = new Worker<SyncJobData, unknown, SyncKind>(syncJob.queue, processor, {
    prefix: resources.redisPrefix,
    connection,
    concurrency: options.concurrency ?? 2,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
  });
  worker.on('error', (err) => logger.error({ err }, 'sync worker error'));
  worker.on('completed', (job) => observeJob(job, 'completed')); // job metrics
  worker.on('failed', (job) => job && observeJob(job, 'failed'));

  let closing: Promise<void> | undefined;
  return {
    close: () => {
      // Running syncs stop between pages and hand their jobs back; the next start resumes them from checkpoints.
      closing ??= (async () => {
        stopSchedules();
        worker.cancelAllJobs('shutdown');
        await worker.close();
        await queue.close();
      })();
      return closing;
    },
  };
}

/** The shared budget, counting the tokens one job's client takes: one token = one request sent. */
function countingBudget(budget: RateBudget, onRequest: () => void): RateBudget {
  return {
    limit: budget.limit,
    windowMs: budget.windowMs,
    acquire: async (acquireOptions) => {
      const taken = await budget.acquire(acquireOptions);
      onRequest();
      return taken;
    },
    pauseUntil: (epochMs) => budget.pauseUntil(epochMs),
    status: () => budget.status(),
  };
}
