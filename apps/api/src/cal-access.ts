import { createRateBudget, type RateBudget } from '@calsync/cal-client';
import { calBudgetKeyPrefix } from '@calsync/jobs';
import type { Redis } from 'ioredis';

/** What the api needs to reach Cal.com while a person waits: the key and the one shared rate budget. */
export interface CalAccess {
  baseUrl: string;
  apiKey: string;
  limitPerMinute: number;
  redis: Redis;
  redisPrefix: string;
  /** How long a request may wait for a budget token before answering 503 with `retry_after`. */
  maxWaitMs: number;
  /** The budget's rolling window (60 s like Cal.com's; shorter in tests). */
  budgetWindowMs?: number;
}

/**
 * The shared budget (the sync's too) with the wait for a token bounded by `maxWaitMs`: a person is waiting, so a
 * request answers 503 instead of queueing behind the budget indefinitely.
 */
export function boundedBudget(access: CalAccess): RateBudget {
  const budget = createRateBudget({
    redis: access.redis,
    keyPrefix: calBudgetKeyPrefix(access.redisPrefix),
    limitPerMinute: access.limitPerMinute,
    windowMs: access.budgetWindowMs,
  });
  return {
    ...budget,
    acquire: (acquire) => budget.acquire({ ...acquire, maxWaitMs: acquire.maxWaitMs ?? access.maxWaitMs }),
  };
}
