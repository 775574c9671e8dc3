import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simGet } from '../../test/sim-client.ts';
import { type CalSim, startCalSim } from '../start-cal-sim.ts';

// A Monday morning: slots before it are in the past.
const now = new Date('2026-06-01T10:15:00Z');
let sim: CalSim;
beforeAll(async () => {
  sim = await startCalSim({ bookings: 0, now: () => now });
});
afterAll(() => sim.close());

const slotsPath = (query: string) => `/v2/slots?eventTypeId=101&format=range&${query}`;

describe('GET /v2/slots', () => {
  it('answers free ranges by local date, in working hours, from now on', async () => {
    const { status, body } = await simGet(sim, slotsPath('start=2026-06-01&end=2026-06-02&timeZone=UTC'));
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(Object.keys(body.data)).toEqual(['2026-06-01', '2026-06-02']);
    const monday = body.data['2026-06-01'];
    expect(monday[0]).toEqual({ start: '2026-06-01T10:30:00.000+00:00', end: '2026-06-01T11:00:00.000+00:00' });
    expect(monday.at(-1)).toEqual({ start: '2026-06-01T16:30:00.000+00:00', end: '2026-06-01T17:00:00.000+00:00' });
    expect(body.data['2026-06-02']).toHaveLength(16);
  });

  it('writes times in the requested zone and answers {} when nothing is free (weekend)', async () => {
    const berlin = await simGet(
      sim,
      slotsPath('start=2026-06-02T00:00:00Z&end=2026-06-02T23:59:59Z&timeZone=Europe/Berlin'),
    );
    expect(berlin.body.data['2026-06-02'][0].start).toBe('2026-06-02T11:00:00.000+02:00');
    const weekend = await simGet(sim, slotsPath('start=2026-06-06&end=2026-06-07'));
    expect(weekend.body).toEqual({ status: 'success', data: {} });
  });

  it('excludes accepted bookings but not cancelled ones', async () => {
    sim.store.createBooking({ eventTypeId: 102, start: '2026-06-03T13:00:00.000Z', end: '2026-06-03T14:00:00.000Z' });
    sim.store.createBooking({
      start: '2026-06-03T09:00:00.000Z',
      end: '2026-06-03T09:30:00.000Z',
      status: 'cancelled',
    });
    const { body } = await simGet(sim, slotsPath('start=2026-06-03&end=2026-06-03'));
    const starts = body.data['2026-06-03'].map((slot: { start: string }) => slot.start.slice(11, 16));
    expect(starts).toContain('09:00');
    expect(starts).toContain('12:30');
    expect(starts).not.toContain('13:00');
    expect(starts).not.toContain('13:30');
    expect(starts).toContain('14:00');
  });

  it('refuses bad parameters with 400 and an unknown event type with 404', async () => {
    for (const [query, name] of [
      ['eventTypeId=101&start=soon&end=2026-06-03', 'start'],
      ['eventTypeId=101&start=2026-06-03', 'end'],
      ['start=2026-06-03&end=2026-06-04', 'eventTypeId'],
      ['eventTypeId=101&start=2026-06-03&end=2026-06-04&timeZone=Mars/Base', 'timeZone'],
    ] as const) {
      const { status, body } = await simGet(sim, `/v2/slots?${query}`);
      expect(status, query).toBe(400);
      expect(body.error).toMatchObject({ code: 'BadRequestException', message: expect.stringContaining(name) });
    }
    const missing = await simGet(sim, '/v2/slots?eventTypeId=999&start=2026-06-03&end=2026-06-04');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NotFoundException');
  });
});
