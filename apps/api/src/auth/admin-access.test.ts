import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, insertBooking, TEST_ADMIN_TOKEN } from '../../test/app.ts';

const env = useTestEnv();
let withToken: FastifyInstance;
let withoutToken: FastifyInstance;
let uid: string;

beforeAll(async () => {
  withToken = await buildTestApi(env);
  withoutToken = await buildTestApi(env, { ADMIN_TOKEN: undefined });
  ({ cal_uid: uid } = await insertBooking(env));
  await env.sql`insert into cal_event_types (cal_event_type_id, title, active) values ('11', 'Active', true), ('12', 'Retired', false)`;
});
afterAll(async () => {
  await withToken?.close();
  await withoutToken?.close();
});

const adminRoutes = () => [
  { method: 'GET' as const, url: '/cal-bookings' },
  { method: 'POST' as const, url: '/cal-bookings', payload: { limit: 5 } },
  { method: 'GET' as const, url: '/functions/v1/cal-bookings?limit=5' },
  { method: 'POST' as const, url: '/functions/v1/cal-bookings', payload: {} },
  { method: 'GET' as const, url: `/cal-bookings/${uid}` },
  { method: 'GET' as const, url: `/functions/v1/cal-bookings/${uid}` },
  { method: 'GET' as const, url: '/cal-bookings?action=sync' },
  { method: 'POST' as const, url: '/functions/v1/cal-bookings', payload: { action: 'sync' } },
  { method: 'GET' as const, url: '/cal-event-types?action=sync' },
  { method: 'POST' as const, url: '/functions/v1/cal-event-types', payload: { action: 'sync' } },
];

const credentials = {
  none: {},
  wrong: { authorization: 'Bearer not-the-admin-token-at-all' },
  right: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
};

describe('admin routes', () => {
  it('answer 401 without a token and with a wrong one, 2xx with the right one', async () => {
    for (const route of adminRoutes()) {
      const none = await withToken.inject({ ...route, headers: credentials.none });
      expect([route.url, none.statusCode, none.json().error.code]).toEqual([route.url, 401, 'unauthorized']);
      const wrong = await withToken.inject({ ...route, headers: credentials.wrong });
      expect([route.url, wrong.statusCode, wrong.json().error.code]).toEqual([route.url, 401, 'unauthorized']);
      const right = await withToken.inject({ ...route, headers: credentials.right });
      expect([route.url, right.statusCode >= 200 && right.statusCode < 300]).toEqual([route.url, true]);
    }
  });

  it('answer 503 admin_not_configured, whatever the token, when no ADMIN_TOKEN is configured', async () => {
    for (const route of adminRoutes()) {
      for (const headers of Object.values(credentials)) {
        const answer = await withoutToken.inject({ ...route, headers });
        expect([route.url, answer.statusCode, answer.json().error.code]).toEqual([
          route.url,
          503,
          'admin_not_configured',
        ]);
      }
    }
  });

  it('do not parse parameters for strangers (401 before 400)', async () => {
    const answer = await withToken.inject({ method: 'GET', url: '/cal-bookings?limit=abc' });
    expect(answer.statusCode).toBe(401);
  });

  it('accept the scheme in any case but not other schemes', async () => {
    const lower = await withToken.inject({
      url: '/cal-bookings',
      headers: { authorization: `bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(lower.statusCode).toBe(200);
    const basic = await withToken.inject({
      url: '/cal-bookings',
      headers: { authorization: `Basic ${TEST_ADMIN_TOKEN}` },
    });
    expect(basic.statusCode).toBe(401);
  });
});

describe('cal-event-types access', () => {
  const titles = (body: { event_types: Array<{ title: string }> }) => body.event_types.map((e) => e.title);

  it('shows the public active event types only, and an admin all of them', async () => {
    const anonymous = await withToken.inject({ url: '/cal-event-types' });
    expect(anonymous.statusCode).toBe(200);
    expect(titles(anonymous.json())).toEqual(['Active']);
    const admin = await withToken.inject({ url: '/cal-event-types', headers: credentials.right });
    expect(titles(admin.json())).toEqual(['Active', 'Retired']);
  });

  it('gives credentials that are not admin (a Supabase anon key) the public view', async () => {
    const answer = await withToken.inject({ url: '/cal-event-types', headers: credentials.wrong });
    expect(answer.statusCode).toBe(200);
    expect(titles(answer.json())).toEqual(['Active']);
    const unconfigured = await withoutToken.inject({ url: '/cal-event-types', headers: credentials.right });
    expect(titles(unconfigured.json())).toEqual(['Active']);
  });
});
