import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

export interface SharedCacheOptions {
  redis: Redis;
  /** Seconds an answer stays cached. */
  ttlSeconds: number;
  /** How long one loader may hold the fill lock before another process may try (covers a crashed holder). */
  lockMs: number;
  /** Pause between looks while another process fills the same key. */
  pollMs?: number;
}

// Deletes the lock only if it is still ours: an expired lock may already belong to another process.
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * A JSON cache in Redis where concurrent misses of one key cause ONE load: callers in this process share a promise,
 * and processes share a short Redis lock — the one that takes it loads, the others wait for its answer.
 */
export function createSharedCache(options: SharedCacheOptions) {
  const { redis, ttlSeconds, lockMs } = options;
  const pollMs = options.pollMs ?? 25;
  const inFlight = new Map<string, Promise<unknown>>();

  async function read<T>(key: string): Promise<T | undefined> {
    const cached = await redis.get(key);
    return cached === null ? undefined : (JSON.parse(cached) as T);
  }

  async function fill<T>(key: string, load: () => Promise<T>): Promise<T> {
    const lockKey = `${key}:lock`;
    const token = randomUUID();
    for (;;) {
      if ((await redis.set(lockKey, token, 'PX', lockMs, 'NX')) === 'OK') {
        try {
          // Another process may have filled it between our miss and our lock.
          const filled = await read<T>(key);
          if (filled !== undefined) return filled;
          const value = await load();
          await redis.set(key, JSON.stringify(value), 'EX', ttlSeconds);
          return value;
        } finally {
          await redis.eval(RELEASE_SCRIPT, 1, lockKey, token).catch(() => {});
        }
      }
      // Another process loads it: wait for its answer, or for its lock to go (it failed or died) and try ourselves.
      await sleep(pollMs);
      const filled = await read<T>(key);
      if (filled !== undefined) return filled;
    }
  }

  return {
    /** The cached value of `key`, or `load()`'s (then cached), loading once however many ask at the same time. */
    async get<T>(key: string, load: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
      const cached = await read<T>(key);
      if (cached !== undefined) return { value: cached, hit: true };
      let flight = inFlight.get(key) as Promise<T> | undefined;
      if (!flight) {
        flight = fill(key, load).finally(() => inFlight.delete(key));
        inFlight.set(key, flight);
      }
      return { value: await flight, hit: false };
    },
  };
}

export type SharedCache = ReturnType<typeof createSharedCache>;
