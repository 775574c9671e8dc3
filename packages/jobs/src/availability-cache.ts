import type { Redis } from 'ioredis';
import { availabilityVersionKey } from './redis-keys.ts';

/**
 * Availability answers are cached per parameters under a per-event-type version; bumping the version invalidates
 * every cached answer of that event type at once. Writers of bookings (webhook apply, syncs) call
 * `invalidateAvailability` after they commit; the API reads `availabilityVersion` to build its cache key.
 */
export async function availabilityVersion(redis: Redis, redisPrefix: string, eventTypeId: string): Promise<string> {
  return (await redis.get(availabilityVersionKey(redisPrefix, eventTypeId))) ?? '0';
}

/** Invalidates the cached availability of these event types (duplicates and nulls are ignored). */
export async function invalidateAvailability(
  redis: Redis,
  redisPrefix: string,
  eventTypeIds: Iterable<string | null | undefined>,
): Promise<void> {
  const ids = [...new Set([...eventTypeIds].filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return;
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.incr(availabilityVersionKey(redisPrefix, id));
  await pipeline.exec();
}
