import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simGet } from '../../test/sim-client.ts';
import { type CalSim, startCalSim } from '../start-cal-sim.ts';

let sim: CalSim;
beforeAll(async () => {
  sim = await startCalSim({ bookings: 300, seed: 42, rateLimit: 10_000 });
});
afterAll(() => sim.close());

const errorShape = (code: string, path: string) => ({
  status: 'error',
  timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
  path,
  error: { code, message: expect.any(String) },
});

describe('API v2 fidelity', () => {
  it('answers a bookings page with the exact envelope, pagination object and v2 booking fields', async () => {
    const { status, body, headers } = await simGet(sim, '/v2/bookings?take=7&skip=14');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/application\/json/);
    expect(Object.keys(body).sort()).toEqual(['data', 'pagination', 'status']);
    expect(body.status).toBe('success');
    expect(body.pagination).toEqual({
      totalItems: 300,
      remainingItems: 300 - 21,
      returnedItems: 7,
      itemsPerPage: 7,
      currentPage: 3,
      totalPages: Math.ceil(300 / 7),
      hasNextPage: true,
      hasPreviousPage: true,
    });
    const booking = body.data[0];
    for (const field of ['id', 'uid', 'title', 'description', 'status', 'start', 'end', 'duration', 'eventType']) {
      expect(booking).toHaveProperty(field);
    }
    for (const field of ['eventTypeId', 'location', 'meetingUrl', 'hosts', 'attendees', 'guests', 'metadata']) {
      expect(booking).toHaveProperty(field);
    }
    for (const field of ['bookingFieldsResponses', 'cancellationReason', 'cancelledByEmail']) {
      expect(booking).toHaveProperty(field);
    }
    for (const field of ['rescheduledByEmail', 'rescheduledFromUid', 'rescheduledToUid', 'absentHost', 'icsUid']) {
      expect(booking).toHaveProperty(field);
    }
    expect(booking.createdAt).toMatch(/Z$/);
    expect(booking.eventType).toEqual({ id: booking.eventTypeId, slug: expect.any(String) });
    expect(Object.keys(booking.hosts[0]).sort()).toEqual([
      'displayEmail',
      'email',
      'id',
      'name',
      'timeZone',
      'username',
    ]);
    // output.service.ts reads `bookingResponses.rescheduledReason`, a key that is never written.
    expect(booking).not.toHaveProperty('reschedulingReason');
    expect(booking.attendees[0]).toMatchObject({
      name: expect.any(String),
      language: expect.any(String),
      absent: false,
    });
  });

  it('uses lowercase statuses and links both halves of a reschedule', async () => {
    const { body } = await simGet(sim, '/v2/bookings?take=250&skip=0&sortCreated=asc');
    const rest = await simGet(sim, '/v2/bookings?take=250&skip=250&sortCreated=asc');
    const all = [...body.data, ...rest.body.data];
    expect(new Set(all.map((b: { status: string }) => b.status))).toEqual(
      new Set(['accepted', 'pending', 'cancelled', 'rejected']),
    );
    const moved = all.filter((b) => b.rescheduledToUid);
    expect(moved.length).toBeGreaterThan(0);
    for (const old of moved) {
      expect(old.status).toBe('cancelled');
      const fresh = all.find((b) => b.uid === old.rescheduledToUid);
      expect(fresh.rescheduledFromUid).toBe(old.uid);
    }
  });

  it('answers one booking by uid, and 404 with the v2 error body for an unknown uid', async () => {
    const [first] = (await simGet(sim, '/v2/bookings?take=1')).body.data;
    const one = await simGet(sim, `/v2/bookings/${first.uid}`);
    expect(one).toMatchObject({ status: 200, body: { status: 'success', data: first } });
    const missing = await simGet(sim, '/v2/bookings/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(errorShape('NotFoundException', '/v2/bookings/nope'));
  });

  it('refuses a missing or wrong key with 401 and the v2 error body', async () => {
    for (const authorization of [undefined, 'Bearer cal_live_wrong', 'cal_test_sim']) {
      const { status, body, headers } = await simGet(sim, '/v2/bookings', { authorization });
      expect(status).toBe(401);
      expect(body).toEqual(errorShape('UnauthorizedException', '/v2/bookings'));
      expect(headers.get('x-ratelimit-limit-default')).toBe('10000');
    }
  });

  it('requires the right cal-api-version per family', async () => {
    const cases: Array<[string, string | undefined]> = [
      ['/v2/bookings', undefined],
      ['/v2/bookings', '2024-06-14'],
      ['/v2/event-types', '2024-08-13'],
      ['/v2/slots?eventTypeId=101&start=2026-12-01&end=2026-12-02', undefined],
    ];
    for (const [path, version] of cases) {
      const { status, body } = await simGet(sim, path, { 'cal-api-version': version });
      expect(status, `${path} with ${version}`).toBe(400);
      expect(body).toEqual(errorShape('BadRequestException', path));
      expect(body.error.message).toContain('cal-api-version');
    }
    const counted = sim.log.count((entry) => entry.path === '/v2/event-types' && entry.apiVersion === '2024-08-13');
    expect(counted).toBeGreaterThan(0);
  });

  it('validates take, ISO dates, sort directions and statuses with 400 naming the parameter', async () => {
    for (const [query, name] of [
      ['take=0', 'take'],
      ['take=251', 'take'],
      ['take=abc', 'take'],
      ['skip=-1', 'skip'],
      ['afterUpdatedAt=yesterday', 'afterUpdatedAt'],
      ['beforeEnd=2026-13-45T00:00:00Z', 'beforeEnd'],
      ['sortStart=up', 'sortStart'],
      ['status=upcoming,later', 'status'],
    ]) {
      const { status, body } = await simGet(sim, `/v2/bookings?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code).toBe('BadRequestException');
      expect(body.error.message).toContain(name);
    }
  });

  it('lists event types with the v2 fields', async () => {
    const { status, body } = await simGet(sim, '/v2/event-types');
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(body.data).toHaveLength(4);
    for (const eventType of body.data) {
      expect(eventType).toMatchObject({
        id: expect.any(Number),
        slug: expect.any(String),
        title: expect.any(String),
        lengthInMinutes: expect.any(Number),
        description: expect.any(String),
        hidden: false,
        price: expect.any(Number),
        currency: expect.any(String),
        locations: expect.any(Array),
      });
    }
  });

  it('answers 404 with the v2 error body for unknown routes', async () => {
    const { status, body } = await simGet(sim, '/v2/schedules');
    expect(status).toBe(404);
    expect(body).toEqual(errorShape('NotFoundException', '/v2/schedules'));
  });
});
