import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, insertBooking, TEST_ADMIN_TOKEN } from '../../test/app.ts';

const env = useTestEnv();
let app: FastifyInstance;
let cookie: string;

beforeAll(async () => {
  app = await buildTestApi(env);
  const login = await app.inject('/admin/calendar');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)![1]!;
  const answer = await app.inject({
    method: 'POST',
    url: '/admin/calendar/login',
    headers: {
      cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ _csrf: csrf, token: TEST_ADMIN_TOKEN }).toString(),
  });
  cookie = answer.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const page = async (url: string) => {
  const response = await app.inject({ url, headers: { cookie } });
  return { status: response.statusCode, body: response.body };
};

describe('dashboard pages', () => {
  it('pages through 10,000 bookings with the keyset cursor, 50 rows a page', async () => {
    await env.sql`insert into cal_bookings (cal_uid, status, start_time, attendee_name, attendee_email, event_type_id)
      select 'bulk-' || n, (array['scheduled','pending','cancelled','completed'])[1 + n % 4],
        timestamptz '2031-01-01' + n * interval '1 hour', 'Bulk ' || n, 'bulk' || n || '@example.com', '7'
      from generate_series(1, 10000) n`;
    const first = await page('/admin/calendar?from=2031-01-01');
    expect(first.status).toBe(200);
    expect(first.body.match(/<tr[ >]/g)).toHaveLength(51); // header + 50 rows
    const next = /<a rel="next" href="([^"]+)"/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    const second = await page(next);
    expect(second.body).toContain('Bulk 51<');
    expect(second.body).not.toContain('Bulk 50<');
    const filtered = await page('/admin/calendar?from=&status=pending&q=bulk13');
    expect(filtered.body).toContain('bulk13@example.com'); // 13 % 4 = 1: pending
    expect(filtered.body).not.toContain('bulk12@example.com');
  });

  it('ignores filter values that are not what the form sends, instead of failing', async () => {
    for (const query of [
      'from=2026-13-45',
      'to=2026-02-30',
      'status=ACCEPTED',
      'q=a&q=b',
      'cursor=%00',
      "event_type=1'--",
    ]) {
      const answer = await page(`/admin/calendar?${query}`);
      expect([query, answer.status]).toEqual([query, 200]);
    }
  });

  it('shows times in both zones and never turns a javascript: location into a link', async () => {
    const { cal_uid } = await insertBooking(env, { attendee_name: 'Zoned Person', start_time: '2030-06-01T12:00:00Z' });
    await env.sql`update cal_bookings set attendee_timezone = 'America/New_York', organizer_timezone = 'Asia/Tokyo',
      location = 'javascript:alert(1)', meeting_url = 'https://meet.example.com/x' where cal_uid = ${cal_uid}`;
    const details = await page(`/admin/calendar/bookings/${cal_uid}`);
    expect(details.body).toContain('08:00 (America/New_York)');
    expect(details.body).toContain('21:00 (Asia/Tokyo)');
    expect(details.body).toContain('href="https://meet.example.com/x"');
    expect(details.body).not.toContain('href="javascript:');
    expect((await page('/admin/calendar/bookings/nope')).status).toBe(404);
  });

  it('lists event types with their state and last sync', async () => {
    await env.sql`insert into cal_event_types (cal_event_type_id, title, slug, active, last_synced_at)
      values ('21', 'Open Hour', 'open', true, now() - interval '5 minutes'), ('22', 'Old Hour', 'old', false, null)`;
    const types = await page('/admin/calendar/event-types');
    expect(types.body).toMatch(/Open Hour[\s\S]*badge-active[\s\S]*5 min ago/);
    expect(types.body).toMatch(/Old Hour[\s\S]*badge-inactive[\s\S]*never/);
  });

  it('lists failed deliveries with their error and a Replay form', async () => {
    const id = 'c'.repeat(64);
    await env.sql`insert into cal_webhook_events (id, trigger_event, raw_body, status, error)
      values (${id}, 'BOOKING_CANCELLED', '{}', 'failed', 'could not apply: <b>bad</b>')`;
    const deliveries = await page('/admin/calendar/deliveries');
    expect(deliveries.body).toContain('could not apply: &lt;b&gt;bad&lt;/b&gt;');
    expect(deliveries.body).toContain(`action="/admin/calendar/deliveries/${id}/replay"`);
    const strip = await page('/admin/calendar');
    expect(strip.body).toMatch(/Failed deliveries<\/span><span class="value">1</);
  });
});
