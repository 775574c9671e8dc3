import { authFailuresKey } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';

export interface FailureLimitOptions {
  redis: Redis;
  redisPrefix: string;
  /** Failed attempts one client may make per window before it must wait. */
  max: number;
  windowMs: number;
}

/** Failed credential attempts (admin token at login, wrong bearer tokens), counted per client across processes. */
export interface FailureLimit {
  /** Seconds until `client` may try again; 0 when it may try now. */
  blockedFor(client: string): Promise<number>;
  /** Counts one failed attempt of `client`. */
  record(client: string): Promise<void>;
}

// The window starts at a client's first failure and is not extended by later ones, so waiting it out always works.
const COUNT_SCRIPT = `local n = redis.call('incr', KEYS[1])
if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end
return n`;

export function createFailureLimit(options: FailureLimitOptions): FailureLimit {
  const key = (client: string) => authFailuresKey(options.redisPrefix, client);
  return {
    async blockedFor(client) {
      // Redis down: sessions do not work either, and the bearer comparison stays constant-time; do not lock admins out.
      const [count, ttlMs] = await Promise.all([options.redis.get(key(client)), options.redis.pttl(key(client))]).catch(
        () => [null, 0] as const,
      );
      if (Number(count ?? 0) < options.max) return 0;
      return Math.max(1, Math.ceil(Number(ttlMs) / 1000));
    },
    async record(client) {
      await options.redis.eval(COUNT_SCRIPT, 1, key(client), String(options.windowMs)).catch(() => {});
    },
  };
}

/** The 429 a client gets while it must wait, with `Retry-After` when there is a reply to set it on. */
export function tooManyFailures(retryAfterS: number, reply?: FastifyReply): HttpError {
  reply?.header('retry-after', String(retryAfterS));
  return new HttpError('rate_limited', `too many failed sign-in attempts: try again in ${retryAfterS} s`, {
    details: { retry_after: retryAfterS },
  });
}
