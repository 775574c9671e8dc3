import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi } from '../../test/app.ts';
import { browser, csrfOf } from '../../test/dashboard-browser.ts';

const env = useTestEnv();
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApi(env, { OUTBOUND_ALLOW_PRIVATE: 'true' });
});
afterAll(async () => app?.close());

const PAGE = '/admin/calendar/webhooks';

describe('the "Webhooks out" page', () => {
  it('asks for a login first', async () => {
    expect((await app.inject({ method: 'GET', url: PAGE })).statusCode).toBe(401);
  });

  it('adds an endpoint with chosen types and shows its secret once', async () => {
    const visitor = browser(app);
    await visitor.logIn();
    const empty = await visitor.get(PAGE);
    expect(empty.body).toContain('aria-current="page">Webhooks out</a>');
    expect(empty.body).toContain('No endpoints yet.');
    const form = new URLSearchParams({ _csrf: csrfOf(empty.body), url: 'http://127.0.0.1:9/<crm>' });
    form.append('types', 'booking.cancelled');
    form.append('types', 'booking.created');
    const added = await app.inject({
      method: 'POST',
      url: PAGE,
      headers: { cookie: visitor.jar.header, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    expect(added.statusCode).toBe(201);
    const secret = /<code id="endpoint-secret">(whsec_[^<]+)<\/code>/.exec(added.body)?.[1];
    expect(secret).toMatch(/^whsec_/);
    expect(added.body).toContain('http://127.0.0.1:9/&lt;crm&gt;');
    expect(added.body).toContain('booking.cancelled, booking.created');
    const later = await visitor.get(PAGE);
    expect(later.body).not.toContain(secret);
    expect(later.body).not.toContain('whsec_');
  });

  it('says a bad URL is refused, naming it', async () => {
    const strict = await buildTestApi(env);
    try {
      const visitor = browser(strict);
      await visitor.logIn();
      const page = await visitor.get(PAGE);
      const refused = await visitor.post(PAGE, { _csrf: csrfOf(page.body), url: 'http://127.0.0.1:9/x' });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('url: 127.0.0.1 resolves to 127.0.0.1, a private or loopback address');
    } finally {
      await strict.close();
    }
  });

  it('says an endpoint paused after failing, lists its deliveries with responses, retries a failed one', async () => {
    const [endpoint] = await env.sql<{ id: string }[]>`
      insert into outbound_endpoints (url, secret, status, paused_reason, failing_since)
      values ('https://crm.example.com/hooks', 'whsec_AAAA', 'paused',
        'failing since 2026-11-27T10:00:00.000Z without one success', '2026-11-27T10:00:00Z') returning id`;
    await env.sql`insert into cal_bookings (cal_uid, status) values ('page-uid', 'scheduled')`;
    const [delivery] = await env.sql<{ id: string }[]>`
      insert into outbound_deliveries (endpoint_id, change_id, order_key, status, attempts, next_attempt_at,
        last_status_code, last_error)
      select ${endpoint!.id}, max(id), 'booking:page-uid', 'failed', 8, now(), 502, 'answered 502' from cal_changes
      returning id`;
    await env.sql`insert into outbound_attempts (delivery_id, attempted_at, status_code, error, duration_ms)
      values (${delivery!.id}, '2026-12-01T10:00:00Z', 502, 'answered 502', 31)`;
    const visitor = browser(app);
    await visitor.logIn();
    const list = await visitor.get(PAGE);
    expect(list.body).toContain('badge-paused');
    expect(list.body).toContain('failing since 2026-11-27T10:00:00.000Z without one success');
    const deliveries = await visitor.get(`${PAGE}/${endpoint!.id}`);
    expect(deliveries.statusCode).toBe(200);
    expect(deliveries.body).toContain('This endpoint is paused');
    expect(deliveries.body).toContain('502 (answered 502), 31 ms');
    const retryPath = `${PAGE}/${endpoint!.id}/deliveries/${delivery!.id}/retry`;
    expect((await visitor.post(retryPath, { _csrf: 'forged' })).statusCode).toBe(403);
    const retried = await visitor.post(retryPath, { _csrf: csrfOf(deliveries.body) });
    expect(retried.statusCode).toBe(303);
    expect((await visitor.get(retried.headers.location as string)).body).toContain('The delivery is queued again');
    const [row] = await env.sql`select status from outbound_deliveries where id = ${delivery!.id}`;
    expect(row!.status).toBe('pending');

    const resumed = await visitor.post(`${PAGE}/${endpoint!.id}/resume`, { _csrf: csrfOf(list.body) });
    expect(resumed.statusCode).toBe(303);
    expect((await visitor.get(PAGE)).body).not.toContain('badge-paused');
  });
});
