import { BudgetExhaustedError, CalApiError, type CalClient, CalRateLimitedError } from '@calsync/cal-client';
import type { CalSyncRun, SyncKind } from '@calsync/db';
import { type SyncJobData, syncJob } from '@calsync/jobs';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { runBookingsSync, runReconcile } from './bookings-sync.ts';
import { type ClaimDeps, claimRun } from './claim-run.ts';
import { runCompletePast } from './complete-past.ts';
import { runEventTypesSync } from './event-types-sync.ts';
import type { CalSyncClient, SyncContext } from './sync-context.ts';
import { finishRun, noteRetry, recordProgress } from './sync-runs.ts';

/** No CAL_API_KEY: an API-backed run cannot start. Retrying cannot help. */
export class MissingApiKeyError extends Error {
  override name = 'MissingApiKeyError';
  constructor() {
    super('CAL_API_KEY is not set: set it to a Cal.com API key (cal_live_…) to sync from Cal.com');
  }
}

export interface SyncProcessorDeps extends ClaimDeps {
  redis: Redis;
  redisPrefix: string;
  /**
   * Opens a Cal.com client on the shared budget that calls `onRequest` for every request it sends;
   * undefined when CAL_API_KEY is not set.
   */
  openClient: ((onRequest: () => void) => CalClient) | undefined;
}

/** How soon a job handed back at shutdown may be taken again (by the next worker to start). */
const SHUTDOWN_HANDBACK_DELAY_MS = 1_000;

export type SyncJob = Job<SyncJobData, unknown, SyncKind>;
export type SyncWorker = Worker<SyncJobData, unknown, SyncKind>;

/** The `sync` queue's processor. It declares `signal`, so BullMQ hands it one (aborted on shutdown). */
export function createSyncProcessor(deps: SyncProcessorDeps, worker: () => SyncWorker) {
  return async (job: SyncJob, token: string | undefined, signal: AbortSignal | undefined) => {
    const parsed = syncJob.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid sync job data: ${z.prettifyError(parsed.error)}`);
    const claimed = await claimRun(deps, job, parsed.data);
    if (!claimed) return { skipped: true };
    const { run } = claimed;
    const logger = deps.logger.child({ runId: run.id, kind: run.kind, trigger: run.trigger });
    let requests = 0;
    const ctx: SyncContext = {
      db: deps.db,
      redis: deps.redis,
      redisPrefix: deps.redisPrefix,
      logger,
      signal: signal ?? new AbortController().signal,
      takeRequestCount: () => {
        const taken = requests;
        requests = 0;
        return taken;
      },
    };
    const countRequest = () => {
      requests += 1;
    };
    const client = run.kind !== 'complete_past' ? deps.openClient?.(countRequest) : undefined;
    try {
      const totals = await execute(ctx, client, run);
      const finished = await finishRun(deps.db, run.id, { status: 'succeeded' });
      logger.info({ ...totals, requests: finished?.requests }, 'sync run succeeded');
      return totals;
    } catch (error) {
      await recordProgress(deps.db, run.id, { requests: ctx.takeRequestCount() }).catch(() => {});
      throw await failureOutcome({ error, job, token, signal, worker, run, deps, logger });
    } finally {
      await client?.close();
      await claimed.release();
    }
  };
}

async function execute(ctx: SyncContext, client: CalSyncClient | undefined, run: CalSyncRun) {
  if (run.kind === 'complete_past') return await runCompletePast(ctx, run);
  if (!client) throw new MissingApiKeyError();
  switch (run.kind) {
    case 'bookings_sync':
      return await runBookingsSync(ctx, client, run);
    case 'reconcile':
      return await runReconcile(ctx, client, run);
    case 'event_types_sync':
      return await runEventTypesSync(ctx, client, run);
  }
}

/** Errors that retrying cannot fix: the run fails at once with the reason recorded. */
function isPermanent(error: unknown): boolean {
  if (error instanceof MissingApiKeyError) return true;
  return error instanceof CalApiError && !error.retryable;
}

/** What to throw to BullMQ for a failed attempt, after recording it on the run. */
async function failureOutcome(failure: {
  error: unknown;
  job: SyncJob;
  token: string | undefined;
  signal: AbortSignal | undefined;
  worker: () => SyncWorker;
  run: CalSyncRun;
  deps: SyncProcessorDeps;
  logger: SyncContext['logger'];
}): Promise<Error> {
  const { error, job, token, signal, run, deps, logger } = failure;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (signal?.aborted) {
    // Shutting down: hand the job back untouched (no attempt used); the run's checkpoint keeps the place.
    logger.info('sync run interrupted by shutdown; it resumes from its checkpoint');
    // Delayed rather than waiting: a closing worker's pending fetch would take a waiting job straight back.
    await job.moveToDelayed(Date.now() + SHUTDOWN_HANDBACK_DELAY_MS, token);
    return new DelayedError();
  }
  if (error instanceof CalRateLimitedError || error instanceof BudgetExhaustedError) {
    // The whole queue waits (every sync shares the one budget); the job comes back and resumes, nothing fails.
    logger.info({ retryAfterMs: error.retryAfterMs }, 'Cal.com budget exhausted; the sync waits');
    await failure.worker().rateLimit(Math.max(error.retryAfterMs, 1_000));
    return Worker.RateLimitError();
  }
  if (isPermanent(error)) {
    await finishRun(deps.db, run.id, { status: 'failed', error: message });
    logger.error({ err: error }, 'sync run failed; retrying cannot help');
    return new UnrecoverableError(message);
  }
  const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (finalAttempt) {
    await finishRun(deps.db, run.id, { status: 'failed', error: message });
    logger.error({ err: error }, 'sync run failed after its last attempt');
  } else {
    await noteRetry(deps.db, run.id, message);
    logger.warn({ err: error, attemptsMade: job.attemptsMade }, 'sync attempt failed; it will be retried');
  }
  return error instanceof Error ? error : new Error(message);
}
