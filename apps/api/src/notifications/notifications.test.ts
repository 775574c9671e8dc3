import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi } from '../../test/app.ts';
import { browser, csrfOf } from '../../test/dashboard-browser.ts';

const env = useTestEnv();
let app: FastifyInstance;
let ids: Record<string, string>;

beforeAll(async () => {
  const rows = await env.sql<{ id: string; dedupe_key: string }[]>`
    insert into notifications (dedupe_key, kind, booking_uid, recipient, offset_ms, start_time, due_at, next_attempt_at,
                               status, attempts, sent_at, error)
    values
      ('sent', 'reminder', 'uid-a', 'ann@example.com', 3600000, '2026-05-01T10:00:00Z', '2026-05-01T09:00:00Z',
       '2026-05-01T09:00:00Z', 'sent', 1, '2026-05-01T09:00:01Z', null),
      ('failed', 'reminder', 'uid-a', 'ann@example.com', 86400000, '2026-05-01T10:00:00Z', '2026-04-30T10:00:00Z',
       '2026-04-30T10:00:00Z', 'failed', 5, null, '550 5.1.1 <script>mailbox</script> unavailable'),
      ('sending', 'reminder', 'uid-b', 'bo@example.com', 3600000, '2026-06-01T10:00:00Z', '2026-06-01T09:00:00Z',
       '2026-06-01T09:01:00Z', 'sending', 1, null, null),
      ('alert', 'alert', null, 'owner@example.com', null, null, '2026-05-02T08:00:00Z', '2026-05-02T08:00:00Z',
       'sent', 1, '2026-05-02T08:00:00Z', null)
    returning id, dedupe_key`;
  ids = Object.fromEntries(rows.map((r) => [r.dedupe_key, r.id]));
  app = await buildTestApi(env);
});
afterAll(async () => app?.close());

const list = (query = '', headers: Record<string, string> = adminHeaders) =>
  app.inject({ method: 'GET', url: `/admin/api/notifications${query}`, headers });

describe('GET /admin/api/notifications', () => {
  it('is for admins only', async () => {
    const answer = await list('', {});
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it("answers the admin API's notification shape for one booking, a claim in progress still shown as scheduled", async () => {
    const answer = await list('?booking=uid-a');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({
      notifications: [
        {
          id: ids.sent,
          booking_uid: 'uid-a',
          kind: 'reminder',
          to: 'ann@example.com',
          due_at: '2026-05-01T09:00:00.000Z',
          status: 'sent',
          sent_at: '2026-05-01T09:00:01.000Z',
          error: null,
          attempts: 1,
        },
        expect.objectContaining({
          id: ids.failed,
          status: 'failed',
          error: '550 5.1.1 <script>mailbox</script> unavailable',
        }),
      ],
    });
    expect((await list('?booking=uid-b')).json().notifications).toMatchObject([{ status: 'scheduled' }]);
    expect((await list('?status=scheduled')).json().notifications.map((n: { id: string }) => n.id)).toEqual([
      ids.sending,
    ]);
  });

  it('names a bad parameter', async () => {
    expect((await list('?status=bounced')).json()).toEqual({
      error: { code: 'invalid_request', message: 'status: expected one of scheduled, sent, failed, cancelled' },
    });
    expect((await list('?limit=0')).statusCode).toBe(400);
  });
});

describe('POST /admin/api/notifications/:id/retry', () => {
  const retry = (id: string) =>
    app.inject({ method: 'POST', url: `/admin/api/notifications/${id}/retry`, headers: adminHeaders });

  it('queues a failed message again, refuses any other, 404 for an unknown one', async () => {
    expect((await retry(ids.sent!)).statusCode).toBe(409);
    expect((await retry('00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
    const answer = await retry(ids.failed!);
    expect(answer.statusCode).toBe(200);
    expect(answer.json().notification).toMatchObject({ id: ids.failed, status: 'scheduled', attempts: 0 });
    const [row] =
      await env.sql`select status, next_attempt_at <= now() as due from notifications where id = ${ids.failed!}`;
    expect(row).toEqual({ status: 'scheduled', due: true });
  });
});

describe('the Notifications page', () => {
  it('says e-mail is off without SMTP_URL, lists rows escaped, searches by booking and retries a failed one', async () => {
    await env.sql`update notifications set status = 'failed', attempts = 5 where id = ${ids.failed!}`;
    const visitor = browser(app);
    expect((await app.inject({ method: 'GET', url: '/admin/calendar/notifications' })).statusCode).toBe(401);
    await visitor.logIn();
    const page = await visitor.get('/admin/calendar/notifications?booking=uid-a');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('aria-current="page">Notifications</a>');
    expect(page.body).toContain('E-mail is off: SMTP_URL is not set');
    expect(page.body).toContain('550 5.1.1 &lt;script&gt;mailbox&lt;/script&gt; unavailable');
    expect(page.body).toContain('Failed (1)');
    expect(page.body).not.toContain('bo@example.com');
    const retried = await visitor.post(`/admin/calendar/notifications/${ids.failed}/retry`, {
      _csrf: csrfOf(page.body),
    });
    expect(retried.statusCode).toBe(303);
    const after = await visitor.get(retried.headers.location as string);
    expect(after.body).toContain('The notification is queued again');
    expect(after.body).toContain('Failed (0)');
    const forged = await visitor.post(`/admin/calendar/notifications/${ids.failed}/retry`, { _csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
  });

  it("shows a booking's reminders on its page", async () => {
    await env.sql`
      insert into cal_bookings (cal_uid, cal_booking_id, title, start_time, end_time, status)
      values ('uid-a', '9001', 'Coaching', '2026-05-01T10:00:00Z', '2026-05-01T11:00:00Z', 'scheduled')`;
    const visitor = browser(app);
    await visitor.logIn();
    const page = await visitor.get('/admin/calendar/bookings/uid-a');
    expect(page.statusCode).toBe(200);
    const reminders = page.body.slice(page.body.indexOf('aria-label="Reminders"'));
    expect(reminders).toContain('ann@example.com');
    expect(reminders).toContain('badge-sent');
    expect(reminders).toContain('href="/admin/calendar/notifications?booking=uid-a"');
    expect(reminders).not.toContain('bo@example.com');
  });

  it('does not say e-mail is off when SMTP_URL is set', async () => {
    const withMail = await buildTestApi(env, { SMTP_URL: 'smtp://127.0.0.1:2525' });
    try {
      const visitor = browser(withMail);
      await visitor.logIn();
      expect((await visitor.get('/admin/calendar/notifications')).body).not.toContain('E-mail is off');
    } finally {
      await withMail.close();
    }
  });
});
