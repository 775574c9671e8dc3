import { syncKinds, syncTriggers } from '@calsync/db';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * The job catalog: every queue, job name, payload schema and retry policy, shared by producers (ingest, api)
 * and consumers (worker). Consumers re-parse `job.data` with the schema at the boundary.
 */

export const queueNames = {
  /** Deliveries to apply to cal_bookings. Job id = delivery id (SHA-256 of the raw body). */
  webhooks: 'webhooks',
  /** Bookings syncs, reconciliations, event-type syncs, the completion sweep. */
  sync: 'sync',
  /** Housekeeping: the sweeper that enqueues deliveries Redis never took. */
  maintenance: 'maintenance',
  /** E-mail out: schedules reminders from the booking rows and sends the due `notifications` rows. */
  notifications: 'notifications',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

/** The backoff type of apply-delivery jobs: exponential from `delay`, capped (`cappedExponentialBackoff`). */
export const CAPPED_EXPONENTIAL = 'capped-exponential';
/** Attempts PostgreSQL records for a delivery before its row is marked `failed` and its job may leave Redis. */
export const APPLY_DELIVERY_MAX_ATTEMPTS = 8;
/** Default cap of the retry delay (DELIVERY_RETRY_MAX_DELAY): how late a job may notice that PostgreSQL is back. */
export const DELIVERY_RETRY_MAX_DELAY_MS = 60_000;

/**
 * The worker's `settings.backoffStrategy` for `CAPPED_EXPONENTIAL`: 1 s, 2 s, 4 s … up to `maxDelayMs`, with up to
 * 20 % jitter so that jobs failed together by an outage do not all come back in the same instant.
 */
export function cappedExponentialBackoff(maxDelayMs: number, firstDelayMs = 1_000) {
  return (attemptsMade: number): number => {
    const exponential = firstDelayMs * 2 ** Math.min(Math.max(attemptsMade - 1, 0), 30);
    const delay = Math.min(exponential, maxDelayMs);
    return Math.round(delay * (0.8 + Math.random() * 0.2));
  };
}

export const applyDeliveryJob = {
  queue: queueNames.webhooks,
  name: 'apply-delivery',
  schema: z.object({
    deliveryId: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex digest'),
    /** The exact raw body, so the worker can store the delivery when PostgreSQL refused it at ingest. */
    rawBody: z.string(),
    /** When ingest acknowledged it (ISO). */
    receivedAt: z.iso.datetime({ offset: true }),
    /**
     * How `rawBody` holds the bytes: `utf8` (absent means this) or `base64` for bodies PostgreSQL cannot keep as text
     * (not UTF-8, or NUL bytes). Signed bodies are stored whatever they are.
     */
    bodyEncoding: z.enum(['utf8', 'base64']).optional(),
  }),
  // No attempt limit in BullMQ: while PostgreSQL cannot take the row, the job is the delivery's only copy and must
  // stay in Redis. The worker ends it (UnrecoverableError) once PostgreSQL holds the failure: after
  // APPLY_DELIVERY_MAX_ATTEMPTS recorded attempts, or at once for a delivery that can never apply.
  options: {
    attempts: Number.MAX_SAFE_INTEGER,
    backoff: { type: CAPPED_EXPONENTIAL, delay: 1_000 },
    removeOnComplete: { count: 1_000 },
    removeOnFail: { count: 10_000 },
  } satisfies JobsOptions,
} as const;
export type ApplyDeliveryData = z.infer<typeof applyDeliveryJob.schema>;

export const syncJob = {
  queue: queueNames.sync,
  /** Job name = the run's kind. */
  names: syncKinds,
  schema: z.object({
    kind: z.enum(syncKinds),
    trigger: z.enum(syncTriggers),
    /** The cal_sync_runs row to work on; absent for scheduled jobs (the worker creates the run). */
    runId: z.uuid().optional(),
  }),
  options: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { count: 500 },
    removeOnFail: { count: 1_000 },
  } satisfies JobsOptions,
} as const;
export type SyncJobData = z.infer<typeof syncJob.schema>;

export const sweepJob = {
  queue: queueNames.maintenance,
  name: 'sweep-received',
  schema: z.object({}).passthrough(),
  options: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } satisfies JobsOptions,
} as const;

/**
 * One pass of e-mail work: schedule reminders for the bookings that changed, write owner e-mails that fell due, then
 * send the due `notifications` rows. Repeated every second by a job scheduler; the rows, not the job, carry the state,
 * so a lost or doubled tick costs nothing.
 */
export const notificationsTickJob = {
  queue: queueNames.notifications,
  name: 'notifications-tick',
  schema: z.object({}).passthrough(),
  options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } } satisfies JobsOptions,
} as const;
