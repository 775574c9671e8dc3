import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { invalidateAvailability } from '@calsync/jobs';
import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, insertBooking, mirrorEventTypes } from '../../test/app.ts';

const env = useTestEnv();
let sim: CalSim;
let app: FastifyInstance;
let eventTypeId: string;

const slotCalls = () => sim.log.count((entry) => entry.path.startsWith('/v2/slots'));

beforeAll(async () => {
  sim = await startCalSim({ bookings: 0, eventTypes: 2 });
  eventTypeId = String(sim.store.eventTypes()[0]!.id);
  await mirrorEventTypes(
    env,
    sim.store.eventTypes().map((e) => e.id),
  );
  app = await buildTestApi(env, { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

// Far-future weeks, so no slot is in the past; each test uses its own so that caches do not meet.
const week = (n: number) => {
  const monday = Date.UTC(2031, 2, 3) + n * 7 * 86_400_000;
  const day = (d: number) => new Date(monday + d * 86_400_000).toISOString().slice(0, 10);
  return { dateFrom: day(0), dateTo: day(4) };
};

const ask = (query: Record<string, string>) => app.inject({ url: `/cal-availability?${new URLSearchParams(query)}` });

describe('cal-availability', () => {
  it('answers slots and merged dateRanges from Cal.com, and serves a repeat from the cache with no upstream call', async () => {
    const query = { eventTypeId, ...week(0), timeZone: 'UTC' };
    const before = slotCalls();
    const first = await ask(query);
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json();
    expect(Object.keys(body.slots)).toHaveLength(5);
    // The sim's slots are back to back 09:00–17:00 on weekdays: one merged range a day.
    expect(body.dateRanges).toHaveLength(5);
    expect(body.dateRanges[0]).toEqual({
      start: `${query.dateFrom}T09:00:00.000+00:00`,
      end: `${query.dateFrom}T17:00:00.000+00:00`,
    });
    expect(body.busy).toEqual([]);
    expect(slotCalls()).toBe(before + 1);

    const again = await ask(query);
    expect(again.json()).toEqual(body);
    const byPost = await app.inject({
      method: 'POST',
      url: '/functions/v1/cal-availability',
      payload: { ...query, eventTypeId: Number(eventTypeId) },
    });
    expect(byPost.json()).toEqual(body);
    expect(slotCalls()).toBe(before + 1);
  });

  it('makes one upstream call for 50 concurrent identical misses', async () => {
    const query = { eventTypeId, ...week(1) };
    const before = slotCalls();
    const answers = await Promise.all(Array.from({ length: 50 }, () => ask(query)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(slotCalls()).toBe(before + 1);
  });

  it('coalesces misses across API processes through the Redis lock', async () => {
    const other = await buildTestApi(env, { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey });
    try {
      const query = new URLSearchParams({ eventTypeId, ...week(2) });
      const before = slotCalls();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? app : other).inject({ url: `/cal-availability?${query}` })),
      );
      expect(answers.every((a) => a.statusCode === 200)).toBe(true);
      expect(slotCalls()).toBe(before + 1);
    } finally {
      await other.close();
    }
  });

  it('asks Cal.com again once a booking of that event type changed (the version was bumped)', async () => {
    const query = { eventTypeId, ...week(3) };
    await ask(query);
    const before = slotCalls();
    await ask(query);
    expect(slotCalls()).toBe(before);
    await invalidateAvailability(env.redis, env.redisPrefix, [eventTypeId]);
    await ask(query);
    expect(slotCalls()).toBe(before + 1);
  });

  it("takes busy from calsync's own bookings of that event type that still hold their time", async () => {
    const { dateFrom } = week(4);
    const query = { eventTypeId, ...week(4), timeZone: 'Europe/Berlin' };
    await ask(query);
    const calls = slotCalls();
    const at = (hour: number) => `${dateFrom}T${String(hour).padStart(2, '0')}:00:00+00:00`;
    await insertBooking(env, { event_type_id: eventTypeId, start_time: at(10), end_time: at(11), status: 'scheduled' });
    await insertBooking(env, { event_type_id: eventTypeId, start_time: at(12), end_time: at(13), status: 'pending' });
    for (const status of ['cancelled', 'rejected', 'rescheduled']) {
      await insertBooking(env, { event_type_id: eventTypeId, start_time: at(14), end_time: at(15), status });
    }
    await insertBooking(env, { event_type_id: '999999', start_time: at(15), end_time: at(16) });
    await insertBooking(env, {
      event_type_id: eventTypeId,
      start_time: '2030-01-01T10:00:00Z',
      end_time: '2030-01-01T11:00:00Z',
    });
    // 23:30 UTC the day before is already dateFrom in Berlin.
    const eve = new Date(Date.parse(`${dateFrom}T00:00:00Z`) - 1_800_000).toISOString();
    await insertBooking(env, { event_type_id: eventTypeId, start_time: eve, end_time: at(0) });

    const answer = await ask(query);
    expect(answer.json().busy).toEqual([
      { start: eve.replace('.000Z', '+00:00'), end: at(0) },
      { start: at(10), end: at(11) },
      { start: at(12), end: at(13) },
    ]);
    expect(slotCalls()).toBe(calls);
  });

  it('refuses a range over 62 days or backwards, before any upstream call', async () => {
    const before = slotCalls();
    const long = await ask({ eventTypeId, dateFrom: '2031-01-01', dateTo: '2031-03-05' });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toMatch(/^dateTo: .*62 days/);
    const ok = await ask({ eventTypeId, dateFrom: '2031-01-01', dateTo: '2031-03-03' });
    expect(ok.statusCode).toBe(200);
    const backwards = await ask({ eventTypeId, dateFrom: '2031-01-02', dateTo: '2031-01-01' });
    expect(backwards.statusCode).toBe(400);
    expect(slotCalls()).toBe(before + 1);
  });

  it('answers 404 from the mirror, without asking Cal.com, for an unknown or inactive event type', async () => {
    await mirrorEventTypes(env, ['987654322'], { active: false });
    const before = sim.log.count(() => true);
    for (let n = 0; n < 5; n++) {
      const unknown = await ask({ eventTypeId: String(987654300 + n), ...week(5) });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error).toMatchObject({ code: 'not_found', parameter: 'eventTypeId' });
      expect(unknown.json().error.message).toMatch(/^eventTypeId: no event type 9876543/);
    }
    const inactive = await ask({ eventTypeId: '987654322', ...week(5) });
    expect(inactive.statusCode).toBe(404);
    expect(inactive.json().error.message).toMatch(/hidden or deleted/);
    expect(sim.log.count(() => true)).toBe(before);
  });

  it('limits the Cal.com calls one client can cause, not its cache hits', async () => {
    const strict = await buildTestApi(env, {
      CAL_API_URL: sim.url,
      CAL_API_KEY: sim.apiKey,
      AVAILABILITY_MISSES_PER_CLIENT: '2',
    });
    try {
      const from = (ip: string, n: number) =>
        strict.inject({
          url: `/cal-availability?${new URLSearchParams({ eventTypeId, ...week(10 + n) })}`,
          remoteAddress: ip,
        });
      expect((await from('203.0.113.5', 0)).statusCode).toBe(200);
      expect((await from('203.0.113.5', 1)).statusCode).toBe(200);
      const before = slotCalls();
      const refused = await from('203.0.113.5', 2);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error).toMatchObject({ code: 'rate_limited' });
      expect(refused.json().error.retry_after).toBeGreaterThan(0);
      expect(slotCalls()).toBe(before);
      expect((await from('203.0.113.5', 0)).statusCode).toBe(200);
      expect((await from('198.51.100.5', 2)).statusCode).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('answers 503 cal_api_not_configured without CAL_API_KEY', async () => {
    const keyless = await buildTestApi(env, { CAL_API_URL: sim.url });
    try {
      const answer = await keyless.inject({
        url: `/cal-availability?${new URLSearchParams({ eventTypeId, ...week(6) })}`,
      });
      expect(answer.statusCode).toBe(503);
      expect(answer.json().error.code).toBe('cal_api_not_configured');
      expect(answer.json().error.message).toContain('CAL_API_KEY');
    } finally {
      await keyless.close();
    }
  });
});
