import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi } from '../../test/app.ts';
import { browser } from '../../test/dashboard-browser.ts';

const env = useTestEnv();
let app: FastifyInstance;
let dashboard: ReturnType<typeof browser>;

beforeAll(async () => {
  app = await buildTestApi(env);
  dashboard = browser(app);
  await dashboard.logIn();
}, 60_000);
afterAll(async () => {
  await app?.close();
});

describe('dashboard: what real Cal.com accounts send', () => {
  it("lists a seated booking's seats, who left and who was absent", async () => {
    await env.sql`insert into cal_bookings (cal_uid, status, title, seats_per_time_slot, attendee_name, attendee_email,
      start_time, end_time) values ('seated-1', 'scheduled', 'Group class', 6, 'Ada', 'ada@example.com',
      '2031-03-01T09:00:00Z', '2031-03-01T10:00:00Z')`;
    await env.sql`insert into cal_booking_attendees (booking_uid, email, name, seat_uid, position, left_at, absent)
      values ('seated-1', 'ada@example.com', 'Ada', 'seat-a', 0, null, null),
             ('seated-1', 'bo@example.com', 'Bo', 'seat-b', 1, '2031-02-20T08:00:00Z', null),
             ('seated-1', 'cy@example.com', 'Cy <script>', 'seat-c', 2, null, true)`;
    const page = await dashboard.get('/admin/calendar/bookings/seated-1');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Seats (2 of 6 taken)');
    for (const seat of ['seat-a', 'seat-b', 'seat-c']) expect(page.body).toContain(seat);
    expect(page.body).toMatch(/data-attendee="bo@example.com">[\s\S]*?left/);
    expect(page.body).toMatch(/data-attendee="cy@example.com">[\s\S]*?no-show/);
    expect(page.body).toContain('Cy &lt;script&gt;');
  });

  it('shows an unrecognized delivery with its raw body (escaped), and items a sync skipped with why', async () => {
    await env.sql`insert into cal_webhook_events (id, trigger_event, raw_body, status)
      values ('unrec-1', 'UNKNOWN', ${'{"zap":"<b>booked</b>","who":"ada@example.com"}'}, 'unrecognized')`;
    const [run] = await env.sql<Array<{ id: string }>>`
      insert into cal_sync_runs (kind, trigger, status, items_skipped) values ('reconcile', 'manual', 'succeeded', 1)
      returning id`;
    await env.sql`insert into cal_sync_skipped_items (run_id, item_key, raw, reason)
      values (${run!.id}, 'odd-uid', ${JSON.stringify({ uid: 'odd-uid', start: null })}::jsonb,
        'data[3].start: expected string, received null')`;
    const page = await dashboard.get('/admin/calendar/deliveries');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Unrecognized deliveries');
    expect(page.body).toContain('&lt;b&gt;booked&lt;/b&gt;');
    expect(page.body).not.toContain('<b>booked</b>');
    expect(page.body).toContain('Items syncs skipped');
    expect(page.body).toContain('odd-uid');
    expect(page.body).toContain('data[3].start: expected string, received null');
  });
});
