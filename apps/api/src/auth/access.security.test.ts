import { closedPortUrl, useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi, TEST_ADMIN_TOKEN } from '../../test/app.ts';
import { browser } from '../../test/dashboard-browser.ts';

// Nobody gets in by guessing, and a cookie riding along on another site's request changes nothing.

const env = useTestEnv();
const apps: FastifyInstance[] = [];

async function build(vars: Record<string, string> = {}, prefix = 'main') {
  const app = await buildTestApi({ ...env, redisPrefix: `${env.redisPrefix}-${prefix}` }, vars);
  apps.push(app);
  return app;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await build();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

const wrongBearer = { authorization: 'Bearer not-the-admin-token-at-all' };

describe('guessing the admin token', () => {
  it('gets 429 with Retry-After at the login form after N failures, even for the right token, across processes', async () => {
    const limits = { AUTH_FAILURES_PER_CLIENT: '3' };
    const [first, second] = [await build(limits, 'login'), await build(limits, 'login')];
    const guesser = browser(first);
    for (let n = 0; n < 3; n++) expect((await guesser.logIn(`wrong-guess-number-${n}`)).statusCode).toBe(401);
    const refused = await browser(second).logIn(TEST_ADMIN_TOKEN);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('too many failed sign-in attempts');
    expect(refused.cookies.find((c) => c.name === 'calsync_session')).toBeUndefined();
    const keys = await env.redis.keys(`${env.redisPrefix}-login:auth-failures:*`);
    expect(keys).toEqual([`${env.redisPrefix}-login:auth-failures:127.0.0.1`]);
  });

  it('gets 429 with Retry-After for bearer tokens after N failures; another client is not affected', async () => {
    const limited = await build({ AUTH_FAILURES_PER_CLIENT: '3' }, 'bearer');
    const from = (remoteAddress: string, headers: Record<string, string>) =>
      limited.inject({ url: '/cal-bookings?limit=1', headers, remoteAddress });
    for (let n = 0; n < 3; n++) expect((await from('203.0.113.20', wrongBearer)).statusCode).toBe(401);
    const refused = await from('203.0.113.20', adminHeaders);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'rate_limited' });
    expect(refused.json().error.message).toMatch(/too many failed sign-in attempts: try again in \d+ s/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('198.51.100.20', adminHeaders)).statusCode).toBe(200);
  });

  it('gets 429 at /metrics too, even for the right METRICS_TOKEN, once the client has guessed N times', async () => {
    const metricsToken = 'metrics-token-0123456789abcdef';
    const limited = await build({ AUTH_FAILURES_PER_CLIENT: '2', METRICS_TOKEN: metricsToken }, 'metrics');
    const scrape = (authorization: string) => limited.inject({ url: '/metrics', headers: { authorization } });
    for (let n = 0; n < 2; n++) expect((await scrape(`Bearer wrong-guess-number-${n}-xxxxxxxx`)).statusCode).toBe(401);
    const refused = await scrape(`Bearer ${metricsToken}`);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('action=sync under a cookie session', () => {
  it('is refused by GET and by POST without the CSRF token; accepted by POST with it; bearer GET still works', async () => {
    const admin = browser(app);
    expect((await admin.logIn()).statusCode).toBe(303);
    const cookie = { cookie: admin.jar.header };
    for (const url of ['/cal-bookings?action=sync', '/functions/v1/cal-event-types?action=sync']) {
      const byGet = await app.inject({ url, headers: cookie });
      expect([url, byGet.statusCode, byGet.json().error.code]).toEqual([url, 403, 'forbidden']);
    }
    const post = (headers: Record<string, string>, name = 'cal-bookings') =>
      app.inject({ method: 'POST', url: `/${name}`, payload: { action: 'sync' }, headers: { ...cookie, ...headers } });
    expect((await post({})).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': 'forged' })).statusCode).toBe(403);
    expect((await app.inject({ url: '/cal-bookings?limit=1', headers: cookie })).statusCode).toBe(200);

    const { csrf_token } = (await admin.get('/admin/calendar/csrf-token')).json();
    expect((await post({ 'x-csrf-token': csrf_token })).statusCode).toBe(202);
    expect((await post({ 'x-csrf-token': csrf_token }, 'cal-event-types')).statusCode).toBe(202);
    // Another session's token does not fit this session.
    const other = browser(app);
    await other.logIn();
    const foreign = (await other.get('/admin/calendar/csrf-token')).json().csrf_token;
    expect((await post({ 'x-csrf-token': foreign })).statusCode).toBe(403);

    expect((await app.inject({ url: '/cal-bookings?action=sync', headers: adminHeaders })).statusCode).toBe(202);
    expect((await app.inject({ url: '/admin/calendar/csrf-token' })).statusCode).toBe(401);
  });
});

describe('/readyz', () => {
  it('tells anyone only whether calsync is ready; the checks and queue counts are for an admin', async () => {
    const anonymous = await app.inject({ url: '/readyz' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ status: 'ready' });
    expect((await app.inject({ url: '/readyz', headers: wrongBearer })).json()).toEqual({ status: 'ready' });
    const admin = await app.inject({ url: '/readyz', headers: adminHeaders });
    expect(admin.json()).toMatchObject({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    expect(admin.json().queues.webhooks).toMatchObject({ waiting: expect.any(Number) });
  });

  it('answers 503 not ready to anyone when a store is down, naming it and its error only to an admin', async () => {
    const deadRedis = new Redis(await closedPortUrl('redis'), { maxRetriesPerRequest: 0, lazyConnect: true });
    deadRedis.on('error', () => {});
    const down = await buildTestApi({ ...env, redis: deadRedis });
    try {
      const anonymous = await down.inject({ url: '/readyz' });
      expect(anonymous.statusCode).toBe(503);
      expect(anonymous.json()).toEqual({ status: 'not_ready', error: { code: 'not_ready', message: 'not ready' } });
      const admin = await down.inject({ url: '/readyz', headers: adminHeaders });
      expect(admin.statusCode).toBe(503);
      expect(admin.json().error.message).toBe('Redis unreachable');
      expect(admin.json().checks.redis).toMatch(/^down: /);
    } finally {
      await down.close();
      deadRedis.disconnect();
    }
  });
});

describe('the session cookie', () => {
  const sessionCookie = (setCookie: string | string[] | undefined) =>
    [setCookie].flat().find((c) => c?.startsWith('calsync_session=')) ?? '';

  it('is not Secure on a forged X-Forwarded-Proto, and is Secure when TRUST_PROXY names the proxy that sends it', async () => {
    const forged = await browser(app).logIn(TEST_ADMIN_TOKEN, { 'x-forwarded-proto': 'https' });
    expect(forged.statusCode).toBe(303);
    expect(sessionCookie(forged.headers['set-cookie'])).not.toMatch(/Secure/);

    const behindProxy = await build({ TRUST_PROXY: '127.0.0.1' }, 'proxy');
    const proxied = await browser(behindProxy).logIn(TEST_ADMIN_TOKEN, { 'x-forwarded-proto': 'https' });
    expect(proxied.statusCode).toBe(303);
    expect(sessionCookie(proxied.headers['set-cookie'])).toMatch(/Secure/);
  });
});
