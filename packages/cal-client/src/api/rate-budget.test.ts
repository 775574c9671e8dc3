import { randomUUID } from 'node:crypto';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from './errors.ts';
import { createRateBudget, type RateBudgetOptions } from './rate-budget.ts';

const env = useTestEnv();

/** A budget under a key prefix of its own, so tests do not share tokens. */
function budgetFor(options: Omit<RateBudgetOptions, 'redis' | 'keyPrefix'>, keyPrefix = newPrefix()) {
  return createRateBudget({ redis: env.redis, keyPrefix, ...options });
}

function newPrefix() {
  return `${env.redisPrefix}:cal-budget:${randomUUID()}`;
}

const NOW = { priority: 'background', maxWaitMs: 0 } as const;

describe('rate budget', () => {
  it('hands out at most the limit per rolling window, then waits for the oldest token to leave it', async () => {
    const budget = budgetFor({ limitPerMinute: 3, windowMs: 400, backgroundShare: 1 });
    const firstTaken = Date.now();
    for (let i = 0; i < 3; i++) await budget.acquire(NOW);
    await expect(budget.acquire(NOW)).rejects.toBeInstanceOf(BudgetExhaustedError);
    expect(await budget.status()).toMatchObject({ limit: 3, used: 3, remaining: 0, pausedUntil: null });

    const { waitedMs } = await budget.acquire({ priority: 'background' });
    expect(Date.now() - firstTaken).toBeGreaterThanOrEqual(400);
    expect(waitedMs).toBeGreaterThan(0);
  });

  it('is one budget for every instance sharing the key prefix (each on its own Redis connection)', async () => {
    const keyPrefix = newPrefix();
    const other = new Redis(env.redisUrl);
    try {
      const a = budgetFor({ limitPerMinute: 4, windowMs: 60_000, backgroundShare: 1 }, keyPrefix);
      const b = createRateBudget({ redis: other, keyPrefix, limitPerMinute: 4, windowMs: 60_000, backgroundShare: 1 });
      const grants = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire(NOW)));
      expect(grants.filter((g) => g.status === 'fulfilled')).toHaveLength(4);
      expect((await b.status()).used).toBe(4);
    } finally {
      other.disconnect();
    }
  });

  it('keeps a reserve for interactive calls: background may use only floor(limit × share)', async () => {
    const budget = budgetFor({ limitPerMinute: 10, windowMs: 60_000, backgroundShare: 0.7 });
    for (let i = 0; i < 7; i++) await budget.acquire(NOW);
    const refused = await budget.acquire(NOW).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExhaustedError);
    expect((refused as BudgetExhaustedError).retryAfterMs).toBeGreaterThan(59_000);
    for (let i = 0; i < 3; i++) await budget.acquire({ priority: 'interactive', maxWaitMs: 0 });
    await expect(budget.acquire({ priority: 'interactive', maxWaitMs: 0 })).rejects.toBeInstanceOf(
      BudgetExhaustedError,
    );
  });

  it('pauseUntil makes every caller wait until then, and only ever extends a pause', async () => {
    const keyPrefix = newPrefix();
    const budget = budgetFor({ limitPerMinute: 100 }, keyPrefix);
    const pausedUntil = Date.now() + 500;
    await budget.pauseUntil(pausedUntil);
    await budget.pauseUntil(Date.now() + 100); // shorter: ignored
    const status = await budgetFor({ limitPerMinute: 100 }, keyPrefix).status();
    expect(status.pausedUntil).not.toBeNull();
    expect(status.pausedUntil!).toBeGreaterThan(pausedUntil - 100);

    const refused = await budget.acquire({ priority: 'interactive', maxWaitMs: 0 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExhaustedError);
    expect((refused as BudgetExhaustedError).retryAfterMs).toBeGreaterThan(200);

    await budget.acquire({ priority: 'interactive' });
    expect(Date.now()).toBeGreaterThanOrEqual(pausedUntil - 20); // Redis's clock decides; allow a little skew
    expect((await budget.status()).pausedUntil).toBeNull();
  });

  it('a wait is cancellable, and a cancelled interactive waiter stops holding background back', async () => {
    const keyPrefix = newPrefix();
    const budget = budgetFor({ limitPerMinute: 5, windowMs: 60_000 }, keyPrefix);
    await budget.pauseUntil(Date.now() + 60_000);
    const controller = new AbortController();
    const waiting = budget.acquire({ priority: 'interactive', signal: controller.signal });
    await waitUntil(
      'one interactive waiter',
      () => env.redis.zcard(`${keyPrefix}:interactive-waiters`),
      (n) => n === 1,
    );
    const reason = new Error('caller went away');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(await env.redis.zcard(`${keyPrefix}:interactive-waiters`)).toBe(0);
    await expect(budget.acquire({ priority: 'background', signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('interactive callers go first when both wait', async () => {
    const budget = budgetFor({ limitPerMinute: 1, windowMs: 150 });
    await budget.pauseUntil(Date.now() + 300);
    const order: string[] = [];
    const backgrounds = Array.from({ length: 6 }, (_, i) =>
      budget.acquire({ priority: 'background' }).then(() => order.push(`background ${i}`)),
    );
    await budget.status(); // same connection: every background caller has tried once and is now asleep
    const interactive = budget.acquire({ priority: 'interactive' }).then(() => order.push('interactive'));
    await Promise.all([...backgrounds, interactive]);
    expect(order[0]).toBe('interactive');
    expect(order).toHaveLength(7);
  });

  it('refuses a nonsensical configuration, naming the option', () => {
    expect(() => budgetFor({ limitPerMinute: 0 })).toThrow(/limitPerMinute/);
    expect(() => budgetFor({ limitPerMinute: 10, backgroundShare: 1.5 })).toThrow(/backgroundShare/);
    expect(() => budgetFor({ limitPerMinute: 10, windowMs: 0 })).toThrow(/windowMs/);
  });
});
