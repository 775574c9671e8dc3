import {
  APPLY_DELIVERY_MAX_ATTEMPTS,
  type ApplyDeliveryData,
  applyDeliveryJob,
  invalidateAvailability,
} from '@calsync/jobs';
import { type Job, UnrecoverableError } from 'bullmq';
import type { WorkerDeps } from '../worker-context.ts';
import { type ApplyResult, recordFailure } from './apply-delivery.ts';
import type { DeliveryCollector } from './delivery-collector.ts';
import type { LearnBySync } from './learn-by-sync.ts';

/**
 * One apply-delivery job. A failure ends the job (UnrecoverableError) only once PostgreSQL holds it as a `failed`
 * row; while PostgreSQL cannot record it the job rethrows and BullMQ retries it without limit (capped backoff), since
 * a delivery that Redis alone acknowledged has no other copy.
 */
export async function processDelivery(
  { resources, logger, learn }: Pick<WorkerDeps, 'resources' | 'logger'> & { learn?: LearnBySync },
  collector: DeliveryCollector,
  job: Job<ApplyDeliveryData>,
): Promise<ApplyResult> {
  const parsed = applyDeliveryJob.schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`bad job data: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const data = parsed.data;
  try {
    const result = await collector.apply(data);
    if (result.status !== 'already-done') {
      await invalidateAvailability(resources.redis, resources.redisPrefix, result.eventTypeIds).catch((err: unknown) =>
        logger.warn({ err, deliveryId: data.deliveryId }, 'could not invalidate cached availability'),
      );
      if (result.needsSync) await learn?.request();
    }
    return result;
  } catch (error) {
    // A job given fewer attempts of its own (a test, a job from an older calsync) ends with them.
    const maxAttempts = Math.min(APPLY_DELIVERY_MAX_ATTEMPTS, job.opts.attempts ?? APPLY_DELIVERY_MAX_ATTEMPTS);
    const recorded = await recordFailure(resources.db, data, error, maxAttempts).catch((err: unknown) => {
      logger.error({ err, deliveryId: data.deliveryId }, 'could not record the failed attempt; the job keeps it');
      return null;
    });
    if (recorded?.status === 'already-done') return recorded;
    if (recorded?.status === 'failed') throw new UnrecoverableError((error as Error).message);
    throw error;
  }
}
