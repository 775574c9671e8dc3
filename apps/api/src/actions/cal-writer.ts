import { type CalWrites, createCalClient, createRateBudget, type RateBudget } from '@calsync/cal-client';
import { calBudgetKeyPrefix } from '@calsync/jobs';
import { observeCalRequest } from '@calsync/service-kit';
import type { Redis } from 'ioredis';

export interface CalWriterOptions {
  baseUrl: string;
  apiKey: string;
  limitPerMinute: number;
  redis: Redis;
  redisPrefix: string;
  /** How long a write may wait for a budget token before answering 503 with `retry_after`. */
  maxWaitMs: number;
  /** The budget's rolling window (60 s like Cal.com's; shorter in tests). */
  budgetWindowMs?: number;
}

export type CalWriter = CalWrites & { close(): Promise<void> };

/**
 * The Cal.com client for admin writes: the one shared budget (the sync's too) at interactive priority, so a write
 * never waits behind a sync page; the wait for a token is bounded because a person is waiting.
 */
export function createCalWriter(options: CalWriterOptions): CalWriter {
  const budget = createRateBudget({
    redis: options.redis,
    keyPrefix: calBudgetKeyPrefix(options.redisPrefix),
    limitPerMinute: options.limitPerMinute,
    windowMs: options.budgetWindowMs,
  });
  const bounded: RateBudget = {
    ...budget,
    acquire: (acquire) => budget.acquire({ ...acquire, maxWaitMs: acquire.maxWaitMs ?? options.maxWaitMs }),
  };
  return createCalClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    budget: bounded,
    timeouts: { headersMs: 15_000, bodyMs: 15_000 },
    onRequest: observeCalRequest,
  });
}
