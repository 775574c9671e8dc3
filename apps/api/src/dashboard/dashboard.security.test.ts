import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, insertBooking, TEST_ADMIN_TOKEN } from '../../test/app.ts';
import { csrfOf, Jar } from '../../test/dashboard-browser.ts';

const env = useTestEnv();
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApi(env);
  await insertBooking(env, { attendee_name: 'Secret Person', attendee_email: 'secret.person@example.com' });
  await insertBooking(env, { attendee_name: '<script>alert(1)</script>', attendee_email: 'xss@example.com' });
});
afterAll(async () => {
  await app?.close();
});

async function get(jar: Jar, url: string) {
  return jar.take(await app.inject({ method: 'GET', url, headers: { cookie: jar.header } }));
}

async function post(jar: Jar, url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return jar.take(
    await app.inject({
      method: 'POST',
      url,
      headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    }),
  );
}

async function logIn(headers: Record<string, string> = {}) {
  const jar = new Jar();
  const page = await get(jar, '/admin/calendar');
  const response = await post(
    jar,
    '/admin/calendar/login',
    { _csrf: csrfOf(page.body), token: TEST_ADMIN_TOKEN },
    headers,
  );
  return { jar, response };
}

describe('logged out', () => {
  it('shows the login form only: no booking data on any dashboard page', async () => {
    const jar = new Jar();
    const front = await get(jar, '/admin/calendar');
    expect(front.statusCode).toBe(200);
    expect(front.body).toContain('name="token"');
    for (const url of [
      '/admin/calendar',
      '/admin/calendar/event-types',
      '/admin/calendar/deliveries',
      '/admin/calendar?q=secret',
    ]) {
      const page = await get(jar, url);
      expect(page.body).not.toContain('Secret Person');
      expect(page.body).not.toContain('secret.person');
      expect(page.body).toContain('name="token"');
    }
    expect((await get(jar, '/admin/calendar/runs/00000000-0000-4000-8000-000000000000')).statusCode).toBe(401);
  });

  it('refuses a wrong token', async () => {
    const jar = new Jar();
    const page = await get(jar, '/admin/calendar');
    const wrong = await post(jar, '/admin/calendar/login', {
      _csrf: csrfOf(page.body),
      token: 'not-the-admin-token-at-all',
    });
    expect(wrong.statusCode).toBe(401);
    expect(jar.cookies.has('calsync_session')).toBe(false);
  });
});

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict and signed; not Secure on a forged X-Forwarded-Proto', async () => {
    const { response } = await logIn();
    expect(response.statusCode).toBe(303);
    const setCookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('calsync_session='));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/);
    const value = decodeURIComponent(/calsync_session=([^;]+)/.exec(setCookie ?? '')![1]!);
    expect(value).toMatch(/^[A-Za-z0-9_-]{32}\.[A-Za-z0-9+/_-]+$/); // id + HMAC signature

    // Secure behind a TRUST_PROXY proxy: auth/access.security.test.ts.
    const forged = await logIn({ 'x-forwarded-proto': 'https' });
    const notSecure = [forged.response.headers['set-cookie']].flat().find((c) => c?.startsWith('calsync_session='));
    expect(notSecure).not.toMatch(/Secure/);
  });

  it('opens the dashboard; a tampered cookie does not; logout ends the session server-side', async () => {
    const { jar } = await logIn();
    const page = await get(jar, '/admin/calendar');
    expect(page.body).toContain('Secret Person');
    expect(page.body).toContain('badge-scheduled');

    const signed = jar.cookies.get('calsync_session')!;
    const forged = new Jar();
    forged.cookies.set('calsync_session', `${'A'.repeat(32)}.${signed.split('.')[1]}`);
    expect((await get(forged, '/admin/calendar')).body).not.toContain('Secret Person');

    const copy = new Jar();
    copy.cookies.set('calsync_session', signed);
    await post(jar, '/admin/calendar/logout', { _csrf: csrfOf(page.body) });
    expect((await get(copy, '/admin/calendar')).body).not.toContain('Secret Person');
  });

  it('also opens the admin API and /metrics', async () => {
    const { jar } = await logIn();
    expect((await get(jar, '/cal-bookings?limit=1')).statusCode).toBe(200);
    expect((await get(jar, '/metrics')).statusCode).toBe(200);
    expect((await get(new Jar(), '/cal-bookings?limit=1')).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('is required by every state-changing POST (403 without it, or with another session’s token)', async () => {
    const { jar } = await logIn();
    const other = await logIn();
    const otherToken = csrfOf((await get(other.jar, '/admin/calendar')).body);
    const posts = [
      '/admin/calendar/sync/bookings_sync',
      '/admin/calendar/sync/reconcile',
      '/admin/calendar/deliveries/replay-failed',
      `/admin/calendar/deliveries/${'a'.repeat(64)}/replay`,
      '/admin/calendar/logout',
    ];
    for (const url of posts) {
      expect([url, (await post(jar, url, {})).statusCode]).toEqual([url, 403]);
      expect([url, (await post(jar, url, { _csrf: 'forged' })).statusCode]).toEqual([url, 403]);
      expect([url, (await post(jar, url, { _csrf: otherToken })).statusCode]).toEqual([url, 403]);
    }
    expect((await post(new Jar(), '/admin/calendar/login', { token: TEST_ADMIN_TOKEN })).statusCode).toBe(403);
    // Same browser (same CSRF secret cookie), but a token minted before logging in is bound to no session.
    const fresh = new Jar();
    const loginToken = csrfOf((await get(fresh, '/admin/calendar')).body);
    await post(fresh, '/admin/calendar/login', { _csrf: loginToken, token: TEST_ADMIN_TOKEN });
    expect((await post(fresh, '/admin/calendar/sync/bookings_sync', { _csrf: loginToken })).statusCode).toBe(403);
    expect((await get(jar, '/admin/calendar')).body).toContain('Secret Person'); // still logged in
  });

  it('lets a POST with the token through: a sync is queued and its progress is served as JSON', async () => {
    const { jar } = await logIn();
    const token = csrfOf((await get(jar, '/admin/calendar')).body);
    const queued = await post(jar, '/admin/calendar/sync/event_types_sync', { _csrf: token });
    expect(queued.statusCode).toBe(303);
    const runId = /run=([0-9a-f-]{36})/.exec(String(queued.headers.location))![1]!;
    const progress = await get(jar, `/admin/calendar/runs/${runId}`);
    expect(progress.json()).toMatchObject({ id: runId, kind: 'event_types_sync', status: 'queued', done: false });
    expect((await get(jar, `/admin/calendar?run=${runId}`)).body).toContain(`data-run="${runId}"`);
  });
});

describe('rendering', () => {
  it('escapes every value and sends a strict CSP', async () => {
    const { jar } = await logIn();
    const page = await get(jar, '/admin/calendar?q=xss');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('Secret Person');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('without ADMIN_TOKEN', () => {
  it('answers 503 with a page saying how to set it, and never opens', async () => {
    const closed = await buildTestApi(env, { ADMIN_TOKEN: undefined });
    try {
      for (const url of ['/admin/calendar', '/admin/calendar/bookings/x', '/admin/calendar/deliveries']) {
        const page = await closed.inject(url);
        expect(page.statusCode).toBe(503);
        expect(page.body).toContain('ADMIN_TOKEN');
        expect(page.body).not.toContain('Secret Person');
      }
      expect((await closed.inject({ method: 'POST', url: '/admin/calendar/login', payload: {} })).statusCode).toBe(503);
    } finally {
      await closed.close();
    }
  });
});
