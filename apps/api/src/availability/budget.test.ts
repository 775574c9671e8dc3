import { createRateBudget } from '@calsync/cal-client';
import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { calBudgetKeyPrefix } from '@calsync/jobs';
import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, mirrorEventTypes } from '../../test/app.ts';

const env = useTestEnv();
let sim: CalSim;

beforeAll(async () => {
  sim = await startCalSim({ bookings: 0, eventTypes: 1 });
  await mirrorEventTypes(env, [sim.store.eventTypes()[0]!.id]);
});
afterAll(async () => sim?.close());

const slotCalls = () => sim.log.count((entry) => entry.path.startsWith('/v2/slots'));
const query = (n: number) =>
  new URLSearchParams({
    eventTypeId: String(sim.store.eventTypes()[0]!.id),
    dateFrom: `2031-04-0${n}`,
    dateTo: `2031-04-0${n}`,
  });

// Each test uses its own budget (its own key prefix), as another calsync deployment would.
function budgetFor(prefix: string, windowMs: number) {
  return createRateBudget({ redis: env.redis, keyPrefix: calBudgetKeyPrefix(prefix), limitPerMinute: 10, windowMs });
}

describe('availability within the shared budget', () => {
  it('uses the interactive share when syncs have taken the background share, and answers 503 + retry_after when none is left', async () => {
    const prefix = `${env.redisPrefix}-a`;
    const app = await buildTestApi(
      { ...env, redisPrefix: prefix },
      { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey, CAL_API_RATE_LIMIT: '10' },
      { availability: { maxWaitMs: 200 } },
    );
    try {
      const budget = budgetFor(prefix, 60_000);
      for (let i = 0; i < 9; i++) await budget.acquire({ priority: 'background' });
      await expect(budget.acquire({ priority: 'background', maxWaitMs: 0 })).rejects.toThrow(
        /no Cal.com request token/,
      );

      const interactive = await app.inject({ url: `/cal-availability?${query(1)}` });
      expect(interactive.statusCode, interactive.body).toBe(200);
      expect((await budget.status()).remaining).toBe(0);

      const before = slotCalls();
      const refused = await app.inject({ url: `/cal-availability?${query(2)}` });
      expect(refused.statusCode).toBe(503);
      const error = refused.json().error;
      expect(error.code).toBe('cal_api_rate_limited');
      expect(error.retry_after).toBeGreaterThanOrEqual(1);
      expect(error.retry_after).toBeLessThanOrEqual(62);
      expect(refused.headers['retry-after']).toBe(String(error.retry_after));
      expect(slotCalls()).toBe(before);
    } finally {
      await app.close();
    }
  });

  it('waits for a token to come free when that is within its bound', async () => {
    const prefix = `${env.redisPrefix}-b`;
    const windowMs = 1_500;
    const app = await buildTestApi(
      { ...env, redisPrefix: prefix },
      { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey, CAL_API_RATE_LIMIT: '10' },
      { availability: { maxWaitMs: 20_000, budgetWindowMs: windowMs } },
    );
    try {
      const budget = budgetFor(prefix, windowMs);
      for (let i = 0; i < 10; i++) await budget.acquire({ priority: 'interactive' });
      expect((await budget.status()).remaining).toBe(0);
      const before = slotCalls();
      const answer = await app.inject({ url: `/cal-availability?${query(3)}` });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(slotCalls()).toBe(before + 1);
    } finally {
      await app.close();
    }
  });
});
