import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi } from '../../test/app.ts';

const env = useTestEnv();
const apps: FastifyInstance[] = [];
const build = async (...args: Parameters<typeof buildTestApi> extends [unknown, ...infer Rest] ? Rest : never) => {
  const app = await buildTestApi(env, ...args);
  apps.push(app);
  return app;
};
afterAll(async () => Promise.all(apps.map((a) => a.close())));

describe('OpenAPI at /docs', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await build();
  });

  it('lists every route of the API, at both prefixes, and the routes other parts serve', async () => {
    const answer = await app.inject({ url: '/docs/json' });
    expect(answer.statusCode).toBe(200);
    const paths = answer.json().paths as Record<string, Record<string, unknown>>;
    for (const name of ['cal-bookings', 'cal-availability', 'cal-event-types']) {
      for (const path of [`/${name}`, `/functions/v1/${name}`]) {
        expect(Object.keys(paths[path] ?? {}).sort(), path).toEqual(['get', 'post']);
      }
    }
    expect(paths['/cal-bookings/{uid}']).toHaveProperty('get');
    expect(paths['/functions/v1/cal-bookings/{uid}']).toHaveProperty('get');
    for (const path of ['/cal-webhook', '/healthz', '/readyz']) expect(paths).toHaveProperty([path]);
    const parameters = (paths['/cal-availability']!.get as { parameters: Array<{ name: string }> }).parameters;
    expect(parameters.map((p) => p.name).sort()).toEqual(['dateFrom', 'dateTo', 'eventTypeId', 'timeZone']);
  });

  it('serves the UI', async () => {
    const answer = await app.inject({ url: '/docs/' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/html');
  });
});

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const app = await build({ CORS_ORIGINS: 'https://www.example.com' });
    const allowed = await app.inject({
      method: 'OPTIONS',
      url: '/functions/v1/cal-availability',
      headers: {
        origin: 'https://www.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, x-client-info, apikey, content-type',
      },
    });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://www.example.com');
    const other = await app.inject({ url: '/cal-event-types', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const app = await build();
    const answer = await app.inject({ url: '/cal-event-types', headers: { origin: 'https://www.example.com' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('per-IP rate limit of public functions', () => {
  it('answers 429 rate_limited with retry_after past the limit, per client IP, counted in Redis', async () => {
    const limit = { PUBLIC_RATE_LIMIT: '3' };
    const first = await build(limit);
    const second = await build(limit);
    const from = (ip: string, app: FastifyInstance) => app.inject({ url: '/cal-event-types', remoteAddress: ip });
    const statuses = [];
    // Two processes share the count: the fourth request overall is refused.
    for (const app of [first, second, first, second]) statuses.push((await from('203.0.113.7', app)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await from('203.0.113.7', first);
    expect(refused.json().error).toMatchObject({ code: 'rate_limited' });
    expect(refused.json().error.retry_after).toBeGreaterThan(0);
    expect((await from('198.51.100.9', first)).statusCode).toBe(200);
    const keys = await env.redis.keys(`${env.redisPrefix}:rate-limit:*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});
