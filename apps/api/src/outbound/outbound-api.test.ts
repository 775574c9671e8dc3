import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi } from '../../test/app.ts';
import { loadApiEnv } from '../env.ts';

const env = useTestEnv();
let app: FastifyInstance;
let strictApp: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApi(env, { OUTBOUND_ALLOW_PRIVATE: 'true' });
  strictApp = await buildTestApi(env);
});
afterAll(async () => {
  await app?.close();
  await strictApp?.close();
});

const add = (payload: unknown, on = app, headers: Record<string, string> = adminHeaders) =>
  on.inject({ method: 'POST', url: '/admin/api/endpoints', headers, payload: payload as object });

describe('OUTBOUND_ALLOW_PRIVATE', () => {
  it('defaults to false and refuses a bad value, naming the variable', () => {
    expect(loadApiEnv({}).OUTBOUND_ALLOW_PRIVATE).toBe(false);
    expect(loadApiEnv({ OUTBOUND_ALLOW_PRIVATE: 'true' }).OUTBOUND_ALLOW_PRIVATE).toBe(true);
    expect(() => loadApiEnv({ OUTBOUND_ALLOW_PRIVATE: 'sometimes' })).toThrow(/OUTBOUND_ALLOW_PRIVATE/);
  });
});

describe('/admin/api/endpoints', () => {
  it('is for admins only, reads and changes alike', async () => {
    expect((await app.inject({ method: 'GET', url: '/admin/api/endpoints' })).statusCode).toBe(401);
    const refused = await add({ url: 'https://example.com/hooks' }, app, {});
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await add({ url: 'https://example.com/hooks' }, app, {
      authorization: 'Bearer not-the-token-at-all',
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('adds an endpoint and shows its secret once', async () => {
    const answer = await add({ url: 'http://127.0.0.1:9/hooks', types: ['booking.cancelled'] });
    expect(answer.statusCode).toBe(201);
    const { endpoint } = answer.json();
    expect(endpoint).toMatchObject({ url: 'http://127.0.0.1:9/hooks', types: ['booking.cancelled'], status: 'active' });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await app.inject({ method: 'GET', url: '/admin/api/endpoints', headers: adminHeaders });
    const listed = list.json().endpoints.find((e: { id: string }) => e.id === endpoint.id);
    expect(listed).toMatchObject({ url: 'http://127.0.0.1:9/hooks' });
    expect(JSON.stringify(list.json())).not.toContain('whsec_');
  });

  it('answers 400 naming the bad field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^url is required/],
      [{ url: 'ftp://example.com/' }, /^url must use http or https/],
      [{ url: 'https://example.com/', types: 'booking.created' }, /^types must be an array/],
      [
        { url: 'https://example.com/', types: ['booking.created', 'booking.exploded'] },
        /^types has .*booking\.exploded/,
      ],
    ];
    for (const [payload, message] of cases) {
      const answer = await add(payload);
      expect(answer.statusCode, JSON.stringify(payload)).toBe(400);
      expect(answer.json().error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(message) });
    }
  });

  it('refuses a private or loopback URL without OUTBOUND_ALLOW_PRIVATE', async () => {
    for (const url of ['http://127.0.0.1:9/hooks', 'http://localhost/hooks', 'http://10.1.2.3/']) {
      const answer = await add({ url }, strictApp);
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json().error.message).toMatch(/^url: .*private or loopback address.*OUTBOUND_ALLOW_PRIVATE/);
    }
  });

  it('lists deliveries with their tries, retries a failed one (409 otherwise), deletes', async () => {
    const { endpoint } = (await add({ url: 'http://127.0.0.1:9/hooks' })).json();
    await env.sql`insert into cal_bookings (cal_uid, status) values ('api-listed', 'scheduled')`;
    const [change] = await env.sql<{ id: string }[]>`select max(id)::text as id from cal_changes`;
    const [failed] = await env.sql<{ id: string }[]>`
      insert into outbound_deliveries (endpoint_id, change_id, order_key, status, attempts, next_attempt_at,
        last_status_code, last_error)
      values (${endpoint.id}, ${change!.id}, 'booking:api-listed', 'failed', 8, now(), 503, 'answered 503')
      returning id`;
    await env.sql`insert into outbound_attempts (delivery_id, attempted_at, status_code, error, duration_ms)
      values (${failed!.id}, now(), 503, 'answered 503', 12)`;
    const url = `/admin/api/endpoints/${endpoint.id}/deliveries`;
    const listed = await app.inject({ method: 'GET', url, headers: adminHeaders });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().deliveries).toEqual([
      expect.objectContaining({
        id: failed!.id,
        change_id: change!.id,
        change_type: 'booking.created',
        booking_uid: 'api-listed',
        status: 'failed',
        attempts: 8,
        next_attempt_at: null,
        last_status_code: 503,
        tries: [expect.objectContaining({ status_code: 503, error: 'answered 503', duration_ms: 12 })],
      }),
    ]);
    const bad = await app.inject({ method: 'GET', url: `${url}?status=lost`, headers: adminHeaders });
    expect(bad.json().error.message).toMatch(/^status must be one of/);

    const retryUrl = `${url}/${failed!.id}/retry`;
    const retried = await app.inject({ method: 'POST', url: retryUrl, headers: adminHeaders });
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toEqual({ delivery: { id: failed!.id, status: 'pending' } });
    const again = await app.inject({ method: 'POST', url: retryUrl, headers: adminHeaders });
    expect(again.statusCode).toBe(409);
    const unknown = `${url}/00000000-0000-4000-8000-000000000000/retry`;
    expect((await app.inject({ method: 'POST', url: unknown, headers: adminHeaders })).statusCode).toBe(404);

    const paused = await app.inject({
      method: 'POST',
      url: `/admin/api/endpoints/${endpoint.id}/pause`,
      headers: adminHeaders,
    });
    expect(paused.json().endpoint).toMatchObject({ status: 'paused', paused_reason: 'paused by an admin' });
    const rotated = await app.inject({
      method: 'POST',
      url: `/admin/api/endpoints/${endpoint.id}/rotate-secret`,
      headers: adminHeaders,
    });
    expect(rotated.json().endpoint.secret).toMatch(/^whsec_/);
    expect(rotated.json().endpoint.secret).not.toBe(endpoint.secret);
    expect(rotated.json().endpoint.previous_secret_expires_at).toMatch(/Z$/);

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/admin/api/endpoints/${endpoint.id}`,
      headers: adminHeaders,
    });
    expect(deleted.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url, headers: adminHeaders })).statusCode).toBe(404);
    const [left] = await env.sql<{ n: number }[]>`select count(*)::int as n from outbound_deliveries`;
    expect(left!.n).toBe(0);
  });
});
