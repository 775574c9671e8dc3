import { countFailedDeliveryRows, type Database } from '@calsync/db';
import type { Redis } from 'ioredis';
import { queueNames } from './catalog.ts';
import { bullFailedSetKey } from './redis-keys.ts';

export interface FailedDeliveries {
  /** Rows PostgreSQL holds as `failed`. */
  rows: number;
  /** Jobs in BullMQ's failed set whose delivery has no row: Redis holds the only copy (the sweeper re-adds them). */
  jobsWithoutRow: number;
  /** Both: every delivery that failed, wherever its only copy is. */
  total: number;
}

/**
 * Counts failed deliveries in PostgreSQL and in Redis. The failed set holds at most the newest 10,000 jobs
 * (`removeOnFail`), so reading all of its ids is bounded. Throws when either store does not answer.
 */
export async function countFailedDeliveries(sources: {
  db: Database;
  redis: Redis;
  redisPrefix: string;
}): Promise<FailedDeliveries> {
  const failedJobIds = await sources.redis.zrange(
    bullFailedSetKey(sources.redisPrefix, queueNames.webhooks),
    '0',
    '-1',
  );
  const { rows, idsWithoutRow: jobsWithoutRow } = await countFailedDeliveryRows(sources.db, failedJobIds);
  return { rows, jobsWithoutRow, total: rows + jobsWithoutRow };
}
