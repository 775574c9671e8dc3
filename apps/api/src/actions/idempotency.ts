import { createHash } from 'node:crypto';
import { adminActionKey } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import type { Redis } from 'ioredis';

/** What a request was answered, kept so that a repeat of it gets the very same answer. */
export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

/** A repeat without an `Idempotency-Key` header counts as the same request this long (a double click, a quick retry). */
export const DERIVED_KEY_WINDOW_MS = 60_000;
/** An explicit `Idempotency-Key` is remembered for a day, as payment APIs do. */
export const EXPLICIT_KEY_TTL_MS = 24 * 3_600_000;
/** How long a claim may stay unanswered: the budget wait plus Cal.com's timeouts, with room to spare. */
const PENDING_TTL_MS = 120_000;
const POLL_MS = 50;

export interface IdempotencyKey {
  /** What the audit trail records: the client's key, or `derived:<hash>`. */
  label: string;
  redisKey: string;
  ttlMs: number;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * The request's idempotency key: the client's own (the `Idempotency-Key` header, a dashboard form's key) scoped to what
 * is asked, so a key reused for another request does not replay a foreign answer; else one derived from what is asked,
 * valid for DERIVED_KEY_WINDOW_MS. `source` names where the client's key came from, for the 400.
 */
export function idempotencyKey(
  redisPrefix: string,
  given: unknown,
  what: Record<string, unknown>,
  source = 'Idempotency-Key',
): IdempotencyKey {
  const fingerprint = createHash('sha256').update(JSON.stringify(what)).digest('hex');
  const header = given;
  if (header !== undefined) {
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new HttpError('invalid_request', `${source}: expected 1 to 200 visible ASCII characters`);
    }
    const scoped = createHash('sha256').update(`${header}\n${fingerprint}`).digest('hex');
    return { label: header, redisKey: adminActionKey(redisPrefix, 'key', scoped), ttlMs: EXPLICIT_KEY_TTL_MS };
  }
  return {
    label: `derived:${fingerprint.slice(0, 32)}`,
    redisKey: adminActionKey(redisPrefix, 'derived', fingerprint),
    ttlMs: DERIVED_KEY_WINDOW_MS,
  };
}

type Entry = { state: 'pending' } | ({ state: 'done' } & StoredAnswer);

/**
 * Runs `work` once per key. The first request claims the key in Redis (SET NX) and stores its answer; a concurrent or
 * later repeat waits for that answer and gets it back with `replayed: true`. When `work` throws (a failure that is no
 * answer, e.g. a crash before Cal.com was called), the claim is released so a retry may try again.
 */
export async function runOnce(
  redis: Redis,
  key: IdempotencyKey,
  work: () => Promise<StoredAnswer>,
): Promise<StoredAnswer & { replayed: boolean }> {
  const deadline = Date.now() + PENDING_TTL_MS;
  for (;;) {
    const claimed = await redis.set(key.redisKey, JSON.stringify({ state: 'pending' }), 'PX', PENDING_TTL_MS, 'NX');
    if (claimed === 'OK') {
      let answer: StoredAnswer;
      try {
        answer = await work();
      } catch (error) {
        await redis.del(key.redisKey);
        throw error;
      }
      const done: Entry = { state: 'done', ...answer };
      await redis.set(key.redisKey, JSON.stringify(done), 'PX', key.ttlMs);
      return { ...answer, replayed: false };
    }
    const stored = await redis.get(key.redisKey);
    if (stored !== null) {
      const entry = JSON.parse(stored) as Entry;
      if (entry.state === 'done') return { statusCode: entry.statusCode, body: entry.body, replayed: true };
    }
    if (Date.now() > deadline) {
      throw new HttpError('conflict', 'the same request is still being carried out; ask again shortly');
    }
    // The first request is still talking to Cal.com (or its claim just expired: the next loop claims it).
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
