import { peekTriggerEvent } from '@calsync/cal-client';
import {
  type ApplyDeliveryData,
  applyDeliveryJob,
  CAPPED_EXPONENTIAL,
  cappedExponentialBackoff,
  openMaintenanceQueue,
  openWebhookQueue,
  queueNames,
  sweepJob,
  workerConnection,
} from '@calsync/jobs';
import { observeDeliveryJob } from '@calsync/service-kit';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { keepScheduled } from '../keep-scheduled.ts';
import type { RunningWorker, WorkerDeps } from '../worker-context.ts';
import { DeliveryCollector } from './delivery-collector.ts';
import { learnBySync } from './learn-by-sync.ts';
import { processDelivery } from './process-delivery.ts';
import { sweepDeliveries } from './sweeper.ts';

/** Jobs in hand at once per process; those that arrive together share one transaction (DeliveryCollector). */
const CONCURRENCY = 128;
const SWEEP_EVERY_MS = 5_000;
/**
 * Applying a delivery takes milliseconds, so a short lock is safe, and it bounds how long the jobs of a crashed
 * worker wait before another worker takes them back (BullMQ's 30 s default left them idle for up to a minute).
 * A crash-looping worker may stall the same job several times, so allow many stalls; a job failed past them is
 * replaced by the sweeper (its row is still `received`) or re-added (no row yet), never lost.
 */
const STALL_RECOVERY = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 20 } as const;

export interface WebhookProcessingOptions {
  /** How often the sweeper runs (default 5 s). */
  sweepEveryMs?: number;
  /** How old a `received` row must be before the sweeper enqueues it (default 5 s). */
  sweepMinAgeMs?: number;
  /** Rows the sweeper offers per run (default 500). */
  sweepBatch?: number;
  /** The longest wait between two tries of a delivery (default DELIVERY_RETRY_MAX_DELAY). */
  retryMaxDelayMs?: number;
}

/**
 * The webhook queue's worker and the sweeper. `close()` lets in-flight jobs finish, then closes its own
 * connections (never `resources`).
 */
export async function startWebhookProcessing(
  deps: WorkerDeps,
  options: WebhookProcessingOptions = {},
): Promise<RunningWorker> {
  const { resources, logger } = deps;
  const log = logger.child({ queue: queueNames.webhooks });
  const connection = workerConnection(resources.redisUrl);
  const prefix = resources.redisPrefix;

  const collector = new DeliveryCollector(resources.db);
  const learn = learnBySync({ db: resources.db, redisUrl: resources.redisUrl, prefix, logger: log });
  const worker = new Worker<ApplyDeliveryData>(
    applyDeliveryJob.queue,
    async (job) => await processDelivery({ ...deps, learn }, collector, job),
    {
      connection,
      prefix,
      concurrency: CONCURRENCY,
      ...STALL_RECOVERY,
      settings: {
        backoffStrategy: (attemptsMade, type) => {
          if (type !== CAPPED_EXPONENTIAL) throw new Error(`unknown backoff type ${type}`);
          return cappedExponentialBackoff(options.retryMaxDelayMs ?? deps.env.DELIVERY_RETRY_MAX_DELAY)(attemptsMade);
        },
      },
    },
  );
  worker.on('failed', (job, err) =>
    log.warn({ err, deliveryId: job?.id, attempt: job?.attemptsMade }, 'delivery failed'),
  );
  worker.on('error', (err) => log.error({ err }, 'webhook worker error'));
  // Delivery metrics: how each job ended, by the trigger its body names.
  worker.on('completed', (job, result) =>
    observeDeliveryJob(job, triggerOf(job), (result as { status?: string })?.status ?? 'processed'),
  );
  worker.on('failed', (job, err) => job && observeDeliveryJob(job, triggerOf(job), 'failed', err));

  // The sweeper: a job scheduler on the maintenance queue, plus a worker that runs it.
  const sweepQueue = openWebhookQueue({ redisUrl: resources.redisUrl, prefix });
  const maintenance = openMaintenanceQueue({ redisUrl: resources.redisUrl, prefix });
  const stopSweepSchedule = await keepScheduled(
    maintenance,
    [
      {
        id: sweepJob.name,
        upsert: () =>
          maintenance.upsertJobScheduler(
            sweepJob.name,
            { every: options.sweepEveryMs ?? SWEEP_EVERY_MS },
            { name: sweepJob.name, data: {}, opts: sweepJob.options },
          ),
      },
    ],
    (err) => log.warn({ err }, 'could not check the sweeper schedule'),
  );
  const sweeper = new Worker(
    queueNames.maintenance,
    async (job) => {
      if (job.name !== sweepJob.name) throw new UnrecoverableError(`unknown maintenance job ${job.name}`);
      const swept = await sweepDeliveries(resources.db, sweepQueue, {
        minAgeMs: options.sweepMinAgeMs,
        batch: options.sweepBatch,
        redisPrefix: prefix,
      });
      if (swept.offered > 0) log.info({ offered: swept.offered }, 'sweeper enqueued received deliveries');
      if (swept.rescued > 0) log.warn({ rescued: swept.rescued }, 'sweeper re-added failed jobs that had no row');
      return swept;
    },
    { connection, prefix, concurrency: 1 },
  );
  sweeper.on('error', (err) => log.error({ err }, 'sweeper error'));

  return {
    close: async () => {
      stopSweepSchedule();
      await Promise.all([worker.close(), sweeper.close()]);
      await Promise.all([sweepQueue.close(), maintenance.close(), learn.close()]);
    },
  };
}

/** The trigger a delivery job's body names, for the metrics; the data is unchecked when a job failed on it. */
function triggerOf(job: Job<ApplyDeliveryData>): string | undefined {
  const rawBody: unknown = job.data?.rawBody;
  return typeof rawBody === 'string' ? peekTriggerEvent(rawBody) : undefined;
}
