// A second process for the cross-process budget test: a client of its own, sharing only Redis with the test.
// Input through the environment; prints one JSON line `{ done, errors, maxWaitedMs }` and exits.
import { Redis } from 'ioredis';
import { createCalClient } from '../src/api/client.ts';
import { createRateBudget } from '../src/api/rate-budget.ts';

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const redis = new Redis(need('CHILD_REDIS_URL'), { maxRetriesPerRequest: null });
const budget = createRateBudget({
  redis,
  keyPrefix: need('CHILD_BUDGET_PREFIX'),
  limitPerMinute: Number(need('CHILD_LIMIT')),
  windowMs: Number(need('CHILD_WINDOW_MS')),
  marginMs: Number(need('CHILD_MARGIN_MS')),
});
let maxWaitedMs = 0;
const client = createCalClient({
  baseUrl: need('CHILD_CAL_URL'),
  apiKey: need('CHILD_API_KEY'),
  budget,
  onRequest: (info) => {
    maxWaitedMs = Math.max(maxWaitedMs, info.waitedMs);
  },
});

const requests = Number(need('CHILD_REQUESTS'));
const concurrency = 4;
let done = 0;
const errors: string[] = [];
await Promise.all(
  Array.from({ length: concurrency }, async (_, lane) => {
    for (let i = lane; i < requests; i += concurrency) {
      try {
        await client.listEventTypes();
        done++;
      } catch (error) {
        errors.push((error as Error).name);
      }
    }
  }),
);
console.log(JSON.stringify({ done, errors, maxWaitedMs }));
await client.close();
redis.disconnect();
