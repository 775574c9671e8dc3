import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi, insertBooking } from '../../test/app.ts';

const env = useTestEnv();
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApi(env);
});
afterAll(async () => app?.close());

// The original design's cal_bookings columns (packages/db/src/adopt/original-tables.ts), written out on purpose rather
// than imported from list-bookings.ts: the test must fail if the API ever drops or renames one of them.
const SEED_COLUMNS = [
  'id',
  'cal_booking_id',
  'cal_uid',
  'event_type_id',
  'event_type_slug',
  'title',
  'start_time',
  'end_time',
  'attendee_name',
  'attendee_email',
  'attendee_timezone',
  'status',
  'meeting_url',
  'location',
  'metadata',
  'created_at',
  'updated_at',
];

type Booking = { id: string; cal_uid: string; start_time: string | null; status: string; attendee_name: string };
type Page = { bookings: Booking[]; next_cursor: string | null };

async function get(query: Record<string, string | number>): Promise<Page> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const answer = await app.inject({ url: `/cal-bookings?${search}`, headers: adminHeaders });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json();
}

describe('cal-bookings filters', () => {
  beforeAll(async () => {
    await insertBooking(env, {
      cal_uid: 'f-1',
      attendee_name: 'Ada Lovelace',
      attendee_email: 'ada@example.com',
      status: 'scheduled',
      start_time: '2031-03-01T09:00:00Z',
      event_type_id: '501',
      event_type_slug: 'consult',
    });
    await insertBooking(env, {
      cal_uid: 'f-2',
      attendee_name: 'Grace Hopper',
      attendee_email: 'grace@navy.example',
      status: 'cancelled',
      start_time: '2031-03-02T09:00:00Z',
      event_type_id: '501',
      event_type_slug: 'consult',
    });
    await insertBooking(env, {
      cal_uid: 'f-3',
      attendee_name: 'Percent 100%_off',
      attendee_email: 'pct@example.com',
      status: 'pending',
      start_time: '2031-03-03T09:00:00Z',
      event_type_id: '502',
      event_type_slug: 'demo',
    });
    await insertBooking(env, {
      cal_uid: 'f-4',
      attendee_name: 'Percent 1000 off',
      attendee_email: 'other@example.com',
      status: 'completed',
      start_time: '2031-03-04T09:00:00Z',
      event_type_id: '502',
      event_type_slug: 'demo',
    });
  });
  const uids = (page: Page) => page.bookings.map((b) => b.cal_uid).filter((u) => u.startsWith('f-'));

  it('filters by status, one or a comma list', async () => {
    expect(uids(await get({ status: 'cancelled' }))).toEqual(['f-2']);
    expect(uids(await get({ status: 'pending,completed' }))).toEqual(['f-3', 'f-4']);
    const repeated = await app.inject({ url: '/cal-bookings?status=pending&status=completed', headers: adminHeaders });
    expect(uids(repeated.json())).toEqual(['f-3', 'f-4']);
    const array = await app.inject({
      method: 'POST',
      url: '/cal-bookings',
      payload: { status: ['pending', 'completed'] },
      headers: adminHeaders,
    });
    expect(array.json()).toEqual(repeated.json());
    for (const bad of [['pending', 'ACCEPTED'], [1], 'pending,', {}]) {
      const answer = await app.inject({
        method: 'POST',
        url: '/cal-bookings',
        payload: { status: bad },
        headers: adminHeaders,
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error.message).toMatch(/^status: /);
    }
  });

  it('filters by start time: from inclusive, to exclusive, a bare date meaning its whole UTC day', async () => {
    expect(uids(await get({ from: '2031-03-02T09:00:00Z', to: '2031-03-04T09:00:00Z' }))).toEqual(['f-2', 'f-3']);
    expect(uids(await get({ from: '2031-03-02', to: '2031-03-03' }))).toEqual(['f-2', 'f-3']);
  });

  it('filters by event type id or slug', async () => {
    expect(uids(await get({ event_type: '502' }))).toEqual(['f-3', 'f-4']);
    expect(uids(await get({ event_type: 'consult' }))).toEqual(['f-1', 'f-2']);
  });

  it('searches name or e-mail case-insensitively, taking % and _ literally', async () => {
    expect(uids(await get({ q: 'GRACE' }))).toEqual(['f-2']);
    expect(uids(await get({ q: 'navy.EX' }))).toEqual(['f-2']);
    expect(uids(await get({ q: '100%_' }))).toEqual(['f-3']);
    expect(uids(await get({ q: '%' }))).toEqual(['f-3']);
  });

  it("keeps the original design's snake_case columns", async () => {
    const [booking] = (await get({ q: 'Ada' })).bookings;
    for (const column of SEED_COLUMNS) {
      expect(booking).toHaveProperty(column);
    }
    expect(booking!.start_time).toBe('2031-03-01T09:00:00+00:00');
  });
});

describe('GET and POST, / and /functions/v1/', () => {
  it('give the same answer to the same parameters', async () => {
    const query = { status: 'scheduled,cancelled', limit: 3, q: 'e' };
    const search = new URLSearchParams({ status: query.status, limit: '3', q: 'e' });
    const answers = await Promise.all([
      app.inject({ url: `/cal-bookings?${search}`, headers: adminHeaders }),
      app.inject({ url: `/functions/v1/cal-bookings?${search}`, headers: adminHeaders }),
      app.inject({ method: 'POST', url: '/cal-bookings', payload: query, headers: adminHeaders }),
      app.inject({ method: 'POST', url: '/functions/v1/cal-bookings', payload: query, headers: adminHeaders }),
    ]);
    const bodies = answers.map((a) => a.json());
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(bodies[0].bookings.length).toBeGreaterThan(0);
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });
});

describe('action=sync', () => {
  it('queues one bookings sync and answers 202 with its run; a second request gets the same run', async () => {
    const first = await app.inject({ url: '/cal-bookings?action=sync', headers: adminHeaders });
    const second = await app.inject({
      method: 'POST',
      url: '/cal-bookings',
      payload: { action: 'sync' },
      headers: adminHeaders,
    });
    expect(first.statusCode).toBe(202);
    expect(first.json().sync).toMatchObject({ status: 'queued', kind: 'bookings_sync' });
    expect(second.json().sync.id).toBe(first.json().sync.id);
    const [run] = await env.sql`select kind, trigger, status from cal_sync_runs where id = ${first.json().sync.id}`;
    expect(run).toEqual({ kind: 'bookings_sync', trigger: 'manual', status: 'queued' });
  });
});
