import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CalSim, startCalSim } from '../start-cal-sim.ts';
import { apiVersions } from './api-version.ts';

let sim: CalSim;
beforeAll(async () => {
  sim = await startCalSim({ bookings: 5, rateLimit: 10_000 });
});
afterAll(() => sim.close());

async function write(method: 'POST' | 'PATCH', path: string, body: unknown = {}) {
  const family = path.startsWith('/v2/event-types') ? 'eventTypes' : 'bookings';
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sim.apiKey}`,
      'cal-api-version': apiVersions[family],
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read bodies loosely
  return { status: response.status, body: (await response.json()) as any };
}

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

describe('API v2 writes', () => {
  it("refuses to confirm an accepted booking the way API v2's tRPC filter does, and accepts a pending one", async () => {
    const accepted = sim.store.createBooking();
    const refused = await write('POST', `/v2/bookings/${accepted.uid}/confirm`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({
      code: 'TRPCError',
      message: 'Bad request: Please check your request data and try again',
    });

    const pending = sim.store.createBooking({ status: 'pending' });
    const confirmed = await write('POST', `/v2/bookings/${pending.uid}/confirm`);
    expect([confirmed.status, confirmed.body.status, confirmed.body.data.status]).toEqual([200, 'success', 'accepted']);
  });

  it('refuses a second cancellation, a mark-absent before the start, and an unknown uid', async () => {
    const booking = sim.store.createBooking();
    expect((await write('POST', `/v2/bookings/${booking.uid}/cancel`, { cancellationReason: 'Ill' })).status).toBe(200);
    const again = await write('POST', `/v2/bookings/${booking.uid}/cancel`, {});
    expect([again.status, again.body.error.code]).toEqual([400, 'BadRequestException']);

    const upcoming = sim.store.createBooking();
    const early = await write('POST', `/v2/bookings/${upcoming.uid}/mark-absent`, {
      attendees: [{ email: upcoming.attendee.email, absent: true }],
    });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/only be marked as absent after their scheduled start time/);

    const missing = await write('POST', '/v2/bookings/nope/decline', { reason: 'x' });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NotFoundException']);
  });

  it('marks the host absent without a webhook and attendees with BOOKING_NO_SHOW_UPDATED', async () => {
    sim.store.outbox.splice(0);
    const past = sim.store.createBooking({ start: hourAgo(), end: new Date().toISOString() });
    const host = await write('POST', `/v2/bookings/${past.uid}/mark-absent`, { host: true });
    expect(host.body.data.absentHost).toBe(true);
    expect(sim.store.outbox).toHaveLength(0);

    await write('POST', `/v2/bookings/${past.uid}/mark-absent`, {
      attendees: [{ email: past.attendee.email, absent: true }],
    });
    expect(sim.store.outbox.map((d) => d.body)).toEqual([
      expect.objectContaining({
        triggerEvent: 'BOOKING_NO_SHOW_UPDATED',
        payload: expect.objectContaining({
          bookingUid: past.uid,
          attendees: [{ email: past.attendee.email, noShow: true }],
        }),
      }),
    ]);
  });

  it('updates an event type, dropping fields its input does not have (price)', async () => {
    const [eventType] = sim.store.eventTypes();
    const price = eventType!.price;
    const answer = await write('PATCH', `/v2/event-types/${eventType!.id}`, { title: 'Renamed', price: 99_999 });
    expect([answer.status, answer.body.data.title, answer.body.data.price]).toEqual([200, 'Renamed', price]);
    const bad = await write('PATCH', `/v2/event-types/${eventType!.id}`, { lengthInMinutes: 0 });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'BadRequestException']);
  });

  it('sends the outbox to a receiver, signed, in order, once', async () => {
    sim.store.outbox.splice(0);
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(`${request.headers['x-cal-signature-256']?.length} ${JSON.parse(body).triggerEvent}`);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    const pending = sim.store.createBooking({ status: 'pending' });
    await write('POST', `/v2/bookings/${pending.uid}/decline`, { reason: 'Full' });
    const upcoming = sim.store.createBooking();
    await write('POST', `/v2/bookings/${upcoming.uid}/cancel`, {});

    const sent = await fetch(`${sim.url}/_sim/outbox/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ targetUrl: `http://127.0.0.1:${port}/hook`, secret: 'shh' }),
    }).then((r) => r.json() as Promise<{ sent: number }>);
    receiver.close();

    expect(sent.sent).toBe(2);
    expect(received).toEqual(['64 BOOKING_REJECTED', '64 BOOKING_CANCELLED']);
    expect(sim.store.outbox).toHaveLength(0);
  });
});
