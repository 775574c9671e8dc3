import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simGet } from '../../test/sim-client.ts';
import { type CalSim, startCalSim } from '../start-cal-sim.ts';

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely
type Json = Record<string, any>;

const now = new Date('2026-06-01T12:00:00Z');
let sim: CalSim;
beforeAll(async () => {
  sim = await startCalSim({ bookings: 800, seed: 5, shapes: 'real', rateLimit: 100_000, now: () => now });
});
afterAll(() => sim.close());

async function allBookings(query = ''): Promise<Json[]> {
  const rows: Json[] = [];
  for (let skip = 0; ; skip += 250) {
    const { body } = await simGet(sim, `/v2/bookings?take=250&skip=${skip}&${query}`);
    rows.push(...body.data);
    if (!body.pagination.hasNextPage) return rows;
  }
}

const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
  const init: RequestInit = { method };
  if (body !== undefined)
    Object.assign(init, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const response = await fetch(`${sim.url}${path}`, init);
  return { status: response.status, body: response.status === 204 ? {} : ((await response.json()) as Json) };
};

describe('API v2 renders the real shapes as output.service.ts (bookings 2024-08-13) does', () => {
  it('location and meetingUrl are both videoCallUrl || location; metadata never carries videoCallUrl', async () => {
    const rows = await allBookings();
    expect(rows).toHaveLength(800);
    for (const row of rows) {
      expect(row.meetingUrl).toBe(row.location);
      expect(row.metadata).not.toHaveProperty('videoCallUrl');
    }
    expect(rows.some((r) => /^\+\d/.test(r.location))).toBe(true);
    expect(rows.some((r) => /Street|St,/.test(r.location))).toBe(true);
    expect(rows.some((r) => r.location.startsWith('https://'))).toBe(true);
    const notCancelled = rows.filter((r) => r.status !== 'cancelled');
    expect(notCancelled.every((r) => r.cancellationReason === '')).toBe(true);
    expect(
      notCancelled.filter((r) => r.attendees[0].seatUid === undefined).every((r) => r.cancelledByEmail === ''),
    ).toBe(true);
    expect(rows.some((r) => 'reschedulingReason' in r)).toBe(false);
    expect(rows.some((r) => r.absentHost === true)).toBe(true);
  });

  it('instant meetings are awaiting_host with the unknown host', async () => {
    const instant = (await allBookings()).filter((r) => r.status === 'awaiting_host');
    expect(instant.length).toBeGreaterThan(0);
    for (const row of instant) {
      expect(row.hosts).toEqual([
        { id: 'unknown', name: 'unknown', email: 'unknown', displayEmail: 'unknown', username: 'unknown' },
      ]);
    }
  });

  it('seated bookings list every seat holder with a seatUid and no guests', async () => {
    const seated = (await allBookings('eventTypeId=102')).filter((r) => r.attendees.length > 1);
    expect(seated.length).toBeGreaterThan(5);
    for (const row of seated) {
      expect(row).not.toHaveProperty('guests');
      for (const attendee of row.attendees) expect(attendee.seatUid).toMatch(/^[A-Za-z0-9]{22}$/);
    }
  });

  it('recurring occurrences carry recurringBookingUid, never rescheduledToUid, and answer status=recurring', async () => {
    const rows = await allBookings();
    const occurrences = rows.filter((r) => r.recurringBookingUid);
    expect(occurrences.length).toBeGreaterThan(3);
    for (const row of occurrences) expect(row).not.toHaveProperty('rescheduledToUid');
    const recurring = await allBookings('status=recurring');
    expect(recurring.length).toBeGreaterThan(0);
    expect(recurring.every((r) => r.recurringBookingUid && Date.parse(r.end) > now.getTime())).toBe(true);
  });
});

describe('teams (apps/api/v2/src/modules/teams/)', () => {
  it('GET /v2/teams needs the key and lists the user’s teams', async () => {
    expect((await simGet(sim, '/v2/teams', { authorization: undefined })).status).toBe(401);
    const { status, body } = await simGet(sim, '/v2/teams');
    expect(status).toBe(200);
    expect(body.data).toEqual([
      expect.objectContaining({ id: 201, name: 'Sim Team', slug: 'sim-team', parentId: null }),
    ]);
  });

  it('GET /v2/teams/{teamId}/event-types is public and renders TeamEventTypeOutput_2024_06_14', async () => {
    const { status, body, headers } = await simGet(sim, '/v2/teams/201/event-types', {
      authorization: undefined,
      'cal-api-version': '2024-06-14',
    });
    expect(status).toBe(200);
    expect(headers.get('x-ratelimit-limit-default')).toBe('100000');
    const bySlug = Object.fromEntries(body.data.map((e: Json) => [e.slug, e]));
    expect(bySlug['team-round-robin']).toMatchObject({ teamId: 201, schedulingType: 'roundRobin', ownerId: null });
    expect(bySlug['team-round-robin'].hosts[0]).toEqual({
      userId: 1,
      name: 'Sim Organizer',
      username: 'sim-organizer',
      mandatory: false,
      priority: 'medium',
      avatarUrl: null,
    });
    expect(bySlug['team-collective']).toMatchObject({ schedulingType: 'collective', lengthInMinutes: 60 });
    expect(bySlug['team-collective'].hosts[0]).not.toHaveProperty('priority');
    expect(bySlug['team-round-robin']).not.toHaveProperty('users');
    const one = await simGet(sim, '/v2/teams/201/event-types?eventSlug=team-collective');
    expect(one.body.data.map((e: Json) => e.slug)).toEqual(['team-collective']);
    expect((await simGet(sim, '/v2/teams/999/event-types')).body.data).toEqual([]);
    const bad = await simGet(sim, '/v2/teams/abc/event-types');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('numeric string is expected');
  });

  it('team event types created and deleted through /_sim appear in and vanish from the listing', async () => {
    const created = await call('POST', '/_sim/teams/201/event-types', { title: 'Support Rota' });
    expect(created).toMatchObject({
      status: 201,
      body: { data: { slug: 'support-rota', schedulingType: 'roundRobin' } },
    });
    const listed = async () => (await simGet(sim, '/v2/teams/201/event-types')).body.data.map((e: Json) => e.id);
    expect(await listed()).toContain(created.body.data.id);
    expect((await call('DELETE', `/_sim/teams/201/event-types/${created.body.data.id}`)).status).toBe(204);
    expect(await listed()).not.toContain(created.body.data.id);
    expect((await call('DELETE', `/_sim/teams/201/event-types/${created.body.data.id}`)).status).toBe(404);
    const bad = await call('POST', '/_sim/teams/201/event-types', { title: 'X', schedulingType: 'MANAGED' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('schedulingType');
  });
});

describe('/_sim routes for the real shapes', () => {
  const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

  it('adds, cancels and moves seats, answering the booking and the deliveries', async () => {
    const booking = (await call('POST', '/_sim/bookings', { eventTypeId: 102, start: '2026-06-20T10:00:00Z' })).body
      .data;
    const joined = await call('POST', `/_sim/bookings/${booking.uid}/seats`, { attendee: ada });
    expect(joined.status).toBe(201);
    expect(joined.body.data.attendees.map((a: Json) => a.email)).toContain('ada@example.com');
    expect(joined.body.deliveries[0]).toMatchObject({ triggerEvent: 'BOOKING_CREATED', uid: booking.uid });
    expect(JSON.parse(joined.body.deliveries[0].rawBody)).toEqual(joined.body.deliveries[0].body);
    expect((await call('POST', `/_sim/bookings/${booking.uid}/seats`, { attendee: ada })).status).toBe(409);
    const moved = await call('POST', `/_sim/bookings/${booking.uid}/seats/${joined.body.seatUid}/move`, {
      start: '2026-06-21T10:00:00Z',
    });
    expect(moved.body.deliveries[0].body.payload.rescheduleUid).toBe(booking.uid);
    expect(moved.body.previous).toMatchObject({ uid: booking.uid, status: 'accepted' });
    const seatUid = moved.body.data.attendees[0].seatUid;
    const second = await call('POST', `/_sim/bookings/${moved.body.data.uid}/seats`, {
      attendee: { name: 'Grace Hopper', email: 'grace@example.com' },
    });
    const left = await call('POST', `/_sim/bookings/${moved.body.data.uid}/seats/${seatUid}/cancel`, {});
    expect(left.body.data.status).toBe('accepted');
    expect(left.body.data.attendees.map((a: Json) => a.seatUid)).toEqual([second.body.seatUid]);
    expect(left.body.deliveries[0].body).toMatchObject({ triggerEvent: 'BOOKING_CANCELLED' });
  });

  it('creates a recurring series and cancels its remaining occurrences with one delivery', async () => {
    const series = await call('POST', '/_sim/recurring-series', { start: '2026-06-08T09:00:00Z', count: 3 });
    expect(series.status).toBe(201);
    expect(series.body.deliveries).toHaveLength(3);
    const uids = series.body.data.map((b: Json) => b.uid);
    const cancelled = await call('POST', `/_sim/bookings/${uids[1]}/cancel-remaining`, {});
    expect(cancelled.body.data.map((b: Json) => b.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(cancelled.body.deliveries.map((d: Json) => d.uid)).toEqual([uids[1]]);
    const bad = await call('POST', '/_sim/recurring-series', { start: '2026-06-08T09:00:00Z', count: 99 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('count');
  });

  it('creates an instant meeting and sends its delivery signed to targetUrl; marks a host absent', async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      req.on('end', () => {
        received.push(raw);
        res.writeHead(202).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cal-webhook`;
    const instant = await call('POST', '/_sim/instant-meetings', { attendee: ada, targetUrl, secret: 's' });
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    expect(instant.body.data).toMatchObject({ status: 'awaiting_host', hosts: [{ id: 'unknown' }] });
    expect(instant.body.answers).toEqual([{ status: 202, body: 'ok' }]);
    expect(JSON.parse(received[0]!)).toMatchObject({ triggerEvent: 'INSTANT_MEETING' });
    const absent = await call('POST', `/_sim/bookings/${instant.body.data.uid}/absent-host`, {});
    expect(absent.body).toMatchObject({ data: { absentHost: true }, deliveries: [] });
  });
});

describe('paging totals and rate-limit header names', () => {
  it('pagingTotals null: totals null, hasNextPage false even with more rows', async () => {
    const lying = await startCalSim({ bookings: 30, pagingTotals: 'null', rateLimitName: 'Burst' });
    try {
      const { body, headers } = await simGet(lying, '/v2/bookings?take=10');
      expect(body.data).toHaveLength(10);
      expect(body.pagination).toMatchObject({
        totalItems: null,
        remainingItems: null,
        totalPages: null,
        hasNextPage: false,
      });
      expect(headers.get('x-ratelimit-limit-burst')).toBe('120');
      expect(headers.get('x-ratelimit-remaining-burst')).toBe('119');
      expect(headers.get('x-ratelimit-limit-default')).toBeNull();
    } finally {
      await lying.close();
    }
  });

  it('pagingTotals estimate: a wrong total that hasNextPage follows', async () => {
    const lying = await startCalSim({ bookings: 30, pagingTotals: { estimate: 0.5 } });
    try {
      const first = await simGet(lying, '/v2/bookings?take=10');
      expect(first.body.pagination).toMatchObject({ totalItems: 15, totalPages: 2, hasNextPage: true });
      const second = await simGet(lying, '/v2/bookings?take=10&skip=10');
      // Twenty rows are still there, but the estimate says this page was the last.
      expect(second.body.data).toHaveLength(10);
      expect(second.body.pagination).toMatchObject({ hasNextPage: false, remainingItems: 0 });
      expect((await simGet(lying, '/v2/bookings?take=10&skip=20')).body.data).toHaveLength(10);
    } finally {
      await lying.close();
    }
  });
});
