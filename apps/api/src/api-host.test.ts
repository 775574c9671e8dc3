import { resourcesOf, useTestEnv } from '@calsync/test-support';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN } from '../test/app.ts';
import { buildApiHost } from './api-host.ts';
import { loadApiEnv } from './env.ts';

const env = useTestEnv();
const asAdmin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

async function apiHost() {
  return buildApiHost({
    env: loadApiEnv({ DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, ADMIN_TOKEN: TEST_ADMIN_TOKEN }),
    logger: pino({ level: 'silent' }),
    resources: resourcesOf(env),
  });
}

describe('the API process listens first (its routes load after it answers /healthz)', () => {
  it('answers /healthz at once; /readyz and the routes answer 503 "starting" until the routes have loaded', async () => {
    const { app, loadApi } = await apiHost();
    try {
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      const readyWhileStarting = await app.inject('/readyz');
      expect(readyWhileStarting.statusCode).toBe(503);
      expect(readyWhileStarting.headers['retry-after']).toBe('1');
      expect(readyWhileStarting.json().error.message).toContain('starting');
      const routeWhileStarting = await app.inject({ url: '/cal-bookings', headers: asAdmin });
      expect(routeWhileStarting.statusCode).toBe(503);
      expect(routeWhileStarting.json().error.code).toBe('not_ready');

      await loadApi();
      expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready' });
      expect((await app.inject({ url: '/cal-bookings', headers: asAdmin })).statusCode).toBe(200);
      expect((await app.inject('/no-such-route')).json().error.code).toBe('not_found');
    } finally {
      await app.close();
    }
  });

  it('closes cleanly while its routes are still loading (a signal during the start)', async () => {
    const { app, loadApi } = await apiHost();
    const loading = loadApi();
    await app.close();
    await loading;
  });
});
