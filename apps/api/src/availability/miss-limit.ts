import { availabilityMissesKey } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import type { Redis } from 'ioredis';

const MINUTE_MS = 60_000;

/**
 * Cache misses one client may cause per minute. Every distinct set of parameters costs a Cal.com request from the
 * budget syncs share, so without this one client could spend the whole budget by varying its dates.
 * Counted in Redis per fixed minute, so every API process counts together.
 */
export function createMissLimit(options: { redis: Redis; redisPrefix: string; perMinute: number }) {
  return async function countMiss(client: string): Promise<void> {
    const minute = Math.floor(Date.now() / MINUTE_MS);
    const key = availabilityMissesKey(options.redisPrefix, client, minute);
    const results = await options.redis
      .multi()
      .incr(key)
      .pexpire(key, 2 * MINUTE_MS)
      .exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count > options.perMinute) {
      const retryAfter = Math.max(1, Math.ceil(((minute + 1) * MINUTE_MS - Date.now()) / 1000));
      throw new HttpError('rate_limited', 'too many different availability questions: try again shortly', {
        details: { retry_after: retryAfter },
      });
    }
  };
}

export type MissLimit = ReturnType<typeof createMissLimit>;
