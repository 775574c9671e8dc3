import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi, TEST_ADMIN_TOKEN } from '../test/app.ts';

const env = useTestEnv();
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApi(env);
});
afterAll(async () => {
  await app?.close();
});

async function sessionCookie(): Promise<string> {
  const page = await app.inject('/admin/calendar');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookies = page.cookies.map((c) => `${c.name}=${c.value}`);
  const login = await app.inject({
    method: 'POST',
    url: '/admin/calendar/login',
    headers: { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, token: TEST_ADMIN_TOKEN }).toString(),
  });
  const session = login.cookies.find((c) => c.name === 'calsync_session')!;
  return `${session.name}=${session.value}`;
}

describe('/admin/queues', () => {
  it('refuses anonymous callers; sends a browser to the login page', async () => {
    expect((await app.inject('/admin/queues/api/queues')).statusCode).toBe(401);
    const wrong = await app.inject({
      url: '/admin/queues',
      headers: { authorization: 'Bearer not-the-admin-token-at-all' },
    });
    expect(wrong.statusCode).toBe(401);
    const browser = await app.inject({ url: '/admin/queues', headers: { accept: 'text/html' } });
    expect(browser.statusCode).toBe(303);
    expect(browser.headers.location).toBe('/admin/calendar?next=%2Fadmin%2Fqueues');
  });

  it('shows every calsync queue to the admin token and to the dashboard session', async () => {
    const page = await app.inject({ url: '/admin/queues', headers: adminHeaders });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html');
    const api = await app.inject({ url: '/admin/queues/api/queues', headers: { cookie: await sessionCookie() } });
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['maintenance', 'notifications', 'sync', 'webhooks']);
  });

  it('refuses a cross-site state change even with the session cookie', async () => {
    const cookie = await sessionCookie();
    const crossSite = await app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/webhooks/pause',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    const sameSite = await app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/webhooks/resume',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameSite.statusCode).toBe(200);
  });

  it('is closed (503) without ADMIN_TOKEN', async () => {
    const closed = await buildTestApi(env, { ADMIN_TOKEN: undefined });
    try {
      expect((await closed.inject('/admin/queues')).statusCode).toBe(503);
    } finally {
      await closed.close();
    }
  });
});
