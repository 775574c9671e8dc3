import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Env fragment: with NODE_ENV=production a process that acknowledges deliveries through Redis refuses a Redis that
 * could lose them, unless ALLOW_VOLATILE_REDIS=true.
 */
export const redisDurabilityEnv = {
  NODE_ENV: z.string().optional(),
  ALLOW_VOLATILE_REDIS: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default('false')
    .transform((v) => ['true', '1', 'yes'].includes(v)),
};

export interface RedisDurability {
  /** `appendonly` (`yes`/`no`), or `unknown` when Redis refuses CONFIG (managed services often do). */
  appendonly: string;
  /** `maxmemory-policy`, or `unknown`. */
  maxmemoryPolicy: string;
  /** true: both settings keep acknowledged jobs; false: at least one may lose them; null: Redis did not say. */
  durable: boolean | null;
  /** What to change on Redis, or why calsync cannot tell; null when durable. */
  warning: string | null;
}

const ADVICE = 'set `appendonly yes` and `maxmemory-policy noeviction` on Redis (redis.conf or CONFIG SET)';

/** Reads Redis's persistence and eviction settings; never throws (an unanswered CONFIG is `unknown`). */
export async function checkRedisDurability(redis: Redis): Promise<RedisDurability> {
  const read = async (name: string) => {
    try {
      const reply = (await redis.call('CONFIG', 'GET', name)) as string[];
      return reply[1] ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
  const [appendonly, maxmemoryPolicy] = await Promise.all([read('appendonly'), read('maxmemory-policy')]);
  if (appendonly === 'unknown' || maxmemoryPolicy === 'unknown') {
    return {
      appendonly,
      maxmemoryPolicy,
      durable: null,
      warning: `Redis did not tell its persistence settings (CONFIG GET refused): make sure to ${ADVICE}`,
    };
  }
  const problems = [
    ...(appendonly === 'yes' ? [] : [`appendonly is ${appendonly}: a restart loses the last writes`]),
    ...(maxmemoryPolicy === 'noeviction' ? [] : [`maxmemory-policy is ${maxmemoryPolicy}: Redis may evict jobs`]),
  ];
  if (problems.length === 0) return { appendonly, maxmemoryPolicy, durable: true, warning: null };
  return {
    appendonly,
    maxmemoryPolicy,
    durable: false,
    warning: `Redis may lose acknowledged deliveries (${problems.join('; ')}): ${ADVICE}`,
  };
}

/** Thrown at start-up in production on a Redis that may lose acknowledged deliveries. */
export class VolatileRedisError extends Error {
  override name = 'VolatileRedisError';
}

/**
 * Checks Redis at start-up. In production (NODE_ENV=production) a Redis that may lose jobs stops the process unless
 * ALLOW_VOLATILE_REDIS=true; elsewhere, or when Redis does not say, the result is returned for a warning.
 */
export async function requireDurableRedis(
  redis: Redis,
  env: { NODE_ENV?: string; ALLOW_VOLATILE_REDIS: boolean },
): Promise<RedisDurability> {
  const durability = await checkRedisDurability(redis);
  if (durability.durable === false && env.NODE_ENV === 'production' && !env.ALLOW_VOLATILE_REDIS) {
    throw new VolatileRedisError(
      `refusing to start with NODE_ENV=production: ${durability.warning}; or set ALLOW_VOLATILE_REDIS=true to accept the risk`,
    );
  }
  return durability;
}

/** How long start-up waits for Redis to tell its settings: ingest must start even while Redis is down. */
const START_CHECK_TIMEOUT_MS = 1_000;

/**
 * `requireDurableRedis` for a process start: logs the warning, and on a VolatileRedisError logs it as fatal and
 * rethrows. A Redis that does not answer within a second counts as one that did not say (a warning, no refusal).
 */
export async function checkRedisAtStart(
  redis: Redis,
  env: { NODE_ENV?: string; ALLOW_VOLATILE_REDIS: boolean },
  logger: { warn: (obj: object, msg: string) => void; fatal: (msg: string) => void },
): Promise<void> {
  const unanswered: RedisDurability = {
    appendonly: 'unknown',
    maxmemoryPolicy: 'unknown',
    durable: null,
    warning: `Redis did not answer within ${START_CHECK_TIMEOUT_MS} ms: its persistence settings are unknown`,
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const durability = await Promise.race([
      requireDurableRedis(redis, env),
      new Promise<RedisDurability>((resolve) => {
        timer = setTimeout(() => resolve(unanswered), START_CHECK_TIMEOUT_MS);
      }),
    ]);
    if (durability.warning) logger.warn({ redisDurability: durability }, durability.warning);
  } catch (error) {
    if (error instanceof VolatileRedisError) logger.fatal(error.message);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
