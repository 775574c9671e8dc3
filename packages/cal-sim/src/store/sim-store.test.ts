import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simGet } from '../../test/sim-client.ts';
import { type CalSim, startCalSim } from '../start-cal-sim.ts';
import { buildDelivery } from '../webhooks/build-delivery.ts';
import { SimStore } from './sim-store.ts';

let clock = Date.parse('2026-06-01T12:00:00Z');
const now = () => new Date(clock);

describe('SimStore', () => {
  it('generates the same account for the same seed, with a realistic mix', () => {
    const a = new SimStore({ bookings: 400, seed: 3, now });
    expect(a.bookings()).toEqual(new SimStore({ bookings: 400, seed: 3, now }).bookings());
    expect(a.bookings()[0]!.uid).not.toBe(new SimStore({ bookings: 400, seed: 4, now }).bookings()[0]!.uid);
    const bookings = a.bookings();
    expect(bookings).toHaveLength(400);
    const count = (test: (b: (typeof bookings)[number]) => boolean) => bookings.filter(test).length;
    expect(count((b) => b.status === 'accepted' && Date.parse(b.end) < clock)).toBeGreaterThan(20);
    expect(count((b) => b.status === 'accepted' && Date.parse(b.start) > clock)).toBeGreaterThan(20);
    expect(count((b) => b.status === 'pending')).toBeGreaterThan(5);
    expect(count((b) => b.status === 'rejected')).toBeGreaterThan(5);
    expect(count((b) => b.status === 'cancelled' && !b.rescheduledToUid)).toBeGreaterThan(5);
    expect(count((b) => b.rescheduledFromUid !== null)).toBeGreaterThan(5);
    expect(count((b) => Date.parse(b.updatedAt) > clock || Date.parse(b.createdAt) > Date.parse(b.updatedAt))).toBe(0);
    expect(new Set(bookings.map((b) => b.eventTypeId))).toEqual(new Set([101, 102, 103, 104]));
  });

  it('changes bookings upstream, bumping updatedAt and keeping the updatedAt order', () => {
    const store = new SimStore({ bookings: 50, seed: 5, now });
    store.sortedBy('updatedAt');
    const [first, second] = store.bookings();
    clock += 1000;
    store.updateBooking(first!.uid, { title: 'Renamed' });
    clock += 1000;
    const cancelled = store.cancelBooking(second!.uid, 'Sick');
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Sick',
      updatedAt: now().toISOString(),
    });
    const order = store.sortedBy('updatedAt').map((b) => b.uid);
    expect(order.slice(-2)).toEqual([first!.uid, second!.uid]);
    expect(order).toHaveLength(50);
    expect(() => store.updateBooking('missing', {})).toThrow(/missing not found/);
  });

  it('keeps sorted orders between requests instead of sorting again, rebuilding only what a change touched', () => {
    const store = new SimStore({ bookings: 200, seed: 8, now });
    const byUpdated = store.sortedBy('updatedAt');
    const byStart = store.sortedBy('start');
    expect(store.sortedBy('updatedAt')).toBe(byUpdated);
    expect(store.sortedBy('start')).toBe(byStart);
    clock += 1000;
    const moved = store.updateBooking(store.bookings()[50]!.uid, { start: '2030-01-01T00:00:00.000Z' });
    expect(store.sortedBy('updatedAt')).toBe(byUpdated);
    expect(byUpdated.at(-1)).toBe(moved);
    expect(byUpdated).toHaveLength(200);
    expect(store.sortedBy('start')).not.toBe(byStart);
    expect(store.sortedBy('start').at(-1)).toBe(moved);
  });

  it('reschedules into a new booking and links both halves', () => {
    const store = new SimStore({ bookings: 10, seed: 6, now });
    const old = store.bookings().find((b) => b.status === 'accepted')!;
    clock += 1000;
    const fresh = store.rescheduleBooking(old.uid, '2026-07-01T09:00:00Z');
    expect(fresh).toMatchObject({ status: 'accepted', rescheduledFromUid: old.uid, start: '2026-07-01T09:00:00.000Z' });
    expect(Date.parse(fresh.end) - Date.parse(fresh.start)).toBe(Date.parse(old.end) - Date.parse(old.start));
    expect(store.booking(old.uid)).toMatchObject({ status: 'cancelled', rescheduledToUid: fresh.uid });
    const payload = (buildDelivery('BOOKING_RESCHEDULED', store.toSimBooking(fresh.uid)).body as { payload: object })
      .payload;
    expect(payload).toMatchObject({ uid: fresh.uid, rescheduleUid: old.uid, rescheduleId: old.id });
  });
});

describe('admin surface /_sim', () => {
  let sim: CalSim;
  beforeAll(async () => {
    sim = await startCalSim({ bookings: 20, now });
  });
  afterAll(() => sim.close());
  // biome-ignore lint/suspicious/noExplicitAny: tests read bodies loosely
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const init: RequestInit = { method };
    if (body !== undefined)
      Object.assign(init, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const response = await fetch(`${sim.url}${path}`, init);
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  };

  it('creates, changes, cancels and reschedules bookings that the API then returns', async () => {
    const created = await call('POST', '/_sim/bookings', {
      start: '2026-06-10T10:00:00Z',
      attendee: { name: 'Pat Doe', email: 'pat@example.com' },
    });
    expect(created.status).toBe(201);
    const uid = created.body.data.uid;
    expect((await simGet(sim, `/v2/bookings/${uid}`)).body.data.attendees[0].email).toBe('pat@example.com');
    expect((await call('PATCH', `/_sim/bookings/${uid}`, { status: 'pending' })).body.data.status).toBe('pending');
    const moved = await call('POST', `/_sim/bookings/${uid}/reschedule`, { start: '2026-06-11T10:00:00Z' });
    expect(moved.body.data.rescheduledFromUid).toBe(uid);
    expect(moved.body.previous).toMatchObject({ status: 'cancelled', rescheduledToUid: moved.body.data.uid });
    const cancelled = await call('POST', `/_sim/bookings/${moved.body.data.uid}/cancel`, {
      reason: 'No longer needed',
    });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', cancellationReason: 'No longer needed' });
  });

  it('hides and deletes event types', async () => {
    expect((await call('PATCH', '/_sim/event-types/102', { hidden: true })).body.data.hidden).toBe(true);
    expect((await call('DELETE', '/_sim/event-types/104')).status).toBe(204);
    const { body } = await simGet(sim, '/v2/event-types');
    expect(body.data.map((e: { id: number }) => e.id)).toEqual([101, 102, 103]);
    expect(body.data[1].hidden).toBe(true);
    expect((await call('DELETE', '/_sim/event-types/104')).status).toBe(404);
  });

  it('answers bad bodies with 400 naming the field, and unknown uids with 404', async () => {
    const bad = await call('POST', '/_sim/bookings', { start: 'tomorrow' });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('start') } } });
    const extra = await call('POST', '/_sim/bookings', { colour: 'red' });
    expect(extra.status).toBe(400);
    expect((await call('POST', '/_sim/bookings/nope/cancel', {})).status).toBe(404);
  });

  it('sends a signed webhook describing a stored booking', async () => {
    const received: Array<{ signature: string; raw: string }> = [];
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        received.push({ signature: String(req.headers['x-cal-signature-256']), raw });
        res.writeHead(202).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cal-webhook`;
    const [booking] = sim.store.bookings();
    const sent = await call('POST', `/_sim/bookings/${booking!.uid}/webhook`, {
      trigger: 'BOOKING_CANCELLED',
      targetUrl,
      secret: 'whsec_sim',
    });
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    expect(sent.body.answer).toEqual({ status: 202, body: 'ok' });
    expect(JSON.parse(received[0]!.raw).payload).toMatchObject({ uid: booking!.uid, status: 'CANCELLED' });
    expect(received[0]!.signature).toBe(createHmac('sha256', 'whsec_sim').update(received[0]!.raw).digest('hex'));
  });
});
