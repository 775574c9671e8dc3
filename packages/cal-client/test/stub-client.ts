import { randomUUID } from 'node:crypto';
import type { TestEnv } from '@calsync/test-support';
import { afterEach } from 'vitest';
import { createCalClient } from '../src/api/client.ts';
import { createRateBudget } from '../src/api/rate-budget.ts';
import type { CalClientOptions, CalRequestInfo } from '../src/api/transport.ts';
import { type StubServer, startStubServer } from './stub-server.ts';

/** Returns a function that starts stub servers; each is closed after the test that started it. */
export function useStubServers(): (handler: Parameters<typeof startStubServer>[0]) => Promise<StubServer> {
  const servers: StubServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (handler) => {
    const server = await startStubServer(handler);
    servers.push(server);
    return server;
  };
}

/**
 * A client on `baseUrl` with a rate budget of its own (1,000 a minute) and quick retries, recording every request
 * it makes in `seen`; `extra` overrides any option.
 */
export function stubClient(env: TestEnv, baseUrl: string, extra: Partial<CalClientOptions> = {}) {
  const budget = createRateBudget({
    redis: env.redis,
    keyPrefix: `${env.redisPrefix}:cal-budget:${randomUUID()}`,
    limitPerMinute: 1000,
  });
  const seen: CalRequestInfo[] = [];
  const client = createCalClient({
    baseUrl,
    apiKey: 'cal_test_key',
    budget,
    retry: { baseDelayMs: 10 },
    onRequest: (info) => seen.push(info),
    ...extra,
  });
  return { client, budget, seen };
}
