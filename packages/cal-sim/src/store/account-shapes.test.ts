import { describe, expect, it } from 'vitest';
import { toV2Booking } from '../server/v2-shapes.ts';
import type { SimBooking } from '../webhooks/types.ts';
import { SimConflictError } from './errors.ts';
import { SimStore } from './sim-store.ts';

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely
type Json = Record<string, any>;

let clock = Date.parse('2026-06-01T12:00:00Z');
const now = () => new Date(clock);
const person = (name: string) => ({
  name,
  email: `${name.toLowerCase().replace(' ', '.')}@example.com`,
  timeZone: 'Europe/Paris',
  locale: 'fr',
  phoneNumber: null,
  absent: false,
});
const payloadOf = (change: { deliveries: Array<{ body: unknown }> }, index = 0) =>
  (change.deliveries[index]!.body as Json).payload as Json;

/** A store with a seated event type (the real mix seats event type 102, six seats). */
function seatedStore() {
  const store = new SimStore({ bookings: 0, shapes: 'real', now });
  const booking = store.createBooking({ eventTypeId: 102, attendee: person('Ada Lovelace') });
  return { store, booking };
}

describe('seats', () => {
  it('a new seat holder joins with a seat uid; updatedAt stays; one BOOKING_CREATED for the same uid', () => {
    const { store, booking } = seatedStore();
    const updatedAt = booking.updatedAt;
    clock += 60_000;
    const joined = store.addSeat(booking.uid, person('Grace Hopper'));
    expect(joined.booking.otherAttendees.map((a) => a.email)).toEqual(['grace.hopper@example.com']);
    expect(joined.seatUid).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(store.booking(booking.uid)!.updatedAt).toBe(updatedAt);
    expect(joined.deliveries.map((d) => d.triggerEvent)).toEqual(['BOOKING_CREATED']);
    expect(payloadOf(joined)).toMatchObject({
      uid: booking.uid,
      bookingId: booking.id,
      attendeeSeatId: joined.seatUid,
    });
    const v2 = toV2Booking(store.booking(booking.uid)!);
    expect(v2.attendees.map((a) => a.seatUid)).toEqual([booking.attendee.seatUid, joined.seatUid]);
    expect(v2).not.toHaveProperty('guests');
    expect(() => store.addSeat(booking.uid, person('Grace Hopper'))).toThrow(SimConflictError);
  });

  it('refuses a seat on a full slot or an unseated booking, naming the booking', () => {
    const { store, booking } = seatedStore();
    for (let n = 2; n <= 6; n++) store.addSeat(booking.uid, person(`Holder N${n}`));
    expect(() => store.addSeat(booking.uid, person('Late Comer'))).toThrow(`booking ${booking.uid} has no free seat`);
    const plain = store.createBooking({ eventTypeId: 101 });
    expect(() => store.addSeat(plain.uid, person('Any One'))).toThrow(`booking ${plain.uid} is not seated`);
  });

  it('a seat cancel sends BOOKING_CANCELLED while the booking stays accepted and its updatedAt does not move', () => {
    const { store, booking } = seatedStore();
    const { seatUid } = store.addSeat(booking.uid, person('Grace Hopper'));
    const updatedAt = store.booking(booking.uid)!.updatedAt;
    clock += 60_000;
    const cancelled = store.cancelSeat(booking.uid, seatUid, 'Cannot make it');
    expect(store.booking(booking.uid)).toMatchObject({ status: 'accepted', updatedAt, otherAttendees: [] });
    expect(cancelled.deliveries[0]!.triggerEvent).toBe('BOOKING_CANCELLED');
    expect(payloadOf(cancelled)).toMatchObject({ uid: booking.uid, status: 'CANCELLED' });
    expect(payloadOf(cancelled).attendees.map((a: Json) => a.email)).toEqual(['grace.hopper@example.com']);
    // The last seat holder leaving cancels the booking itself.
    const last = store.cancelSeat(booking.uid, booking.attendee.seatUid!);
    expect(last.booking.status).toBe('cancelled');
    expect(payloadOf(last)).toMatchObject({ uid: booking.uid, status: 'CANCELLED' });
  });

  it('a seat move sends BOOKING_RESCHEDULED whose rescheduleUid stays active for the others', () => {
    const { store, booking } = seatedStore();
    const { seatUid } = store.addSeat(booking.uid, person('Grace Hopper'));
    clock += 60_000;
    const moved = store.moveSeat(booking.uid, seatUid, '2026-07-01T09:00:00Z');
    expect(moved.booking.uid).not.toBe(booking.uid);
    expect(moved.booking.attendee).toMatchObject({ email: 'grace.hopper@example.com', seatUid });
    expect(store.booking(booking.uid)).toMatchObject({ status: 'accepted', otherAttendees: [] });
    expect(payloadOf(moved)).toMatchObject({
      uid: moved.booking.uid,
      rescheduleUid: booking.uid,
      attendeeSeatId: seatUid,
    });
    // A second holder moving to the same slot joins that booking instead of making another.
    const second = store.addSeat(booking.uid, person('Alan Turing'));
    const joined = store.moveSeat(booking.uid, second.seatUid, '2026-07-01T09:00:00Z');
    expect(joined.booking.uid).toBe(moved.booking.uid);
    expect(joined.booking.otherAttendees.map((a) => a.seatUid)).toEqual([second.seatUid]);
    expect(() => store.moveSeat(booking.uid, 'nope', '2026-07-02T09:00:00Z')).toThrow(/seat nope is not on booking/);
  });
});

describe('recurring series, instant meetings, absent hosts', () => {
  it('creates one booking and one BOOKING_CREATED per occurrence; cancel-remaining sends ONE delivery', () => {
    const store = new SimStore({ bookings: 0, now });
    const { bookings, deliveries } = store.createRecurringSeries({ start: '2026-06-03T09:00:00Z', count: 4 });
    expect(bookings).toHaveLength(4);
    expect(new Set(bookings.map((b) => b.recurringBookingUid)).size).toBe(1);
    expect(bookings.map((b) => b.start.slice(0, 10))).toEqual(['2026-06-03', '2026-06-10', '2026-06-17', '2026-06-24']);
    expect(new Set(bookings.map((b) => b.attendee.email)).size).toBe(1);
    expect(deliveries.map((d) => (d.body as Json).payload.uid)).toEqual(bookings.map((b) => b.uid));
    expect((deliveries[0]!.body as Json).payload.recurringEvent).toEqual({ freq: 2, count: 4, interval: 1 });
    const v2 = toV2Booking(bookings[0]!);
    expect(v2).toMatchObject({ recurringBookingUid: bookings[0]!.recurringBookingUid });
    expect(v2).not.toHaveProperty('rescheduledToUid');

    clock = Date.parse('2026-06-12T00:00:00Z');
    const cancelled = store.cancelRemainingOccurrences(bookings[2]!.uid);
    // Occurrences that already ended stay as they were; the later ones are all cancelled.
    expect(cancelled.bookings.map((b) => b.uid)).toEqual([bookings[2]!.uid, bookings[3]!.uid]);
    expect(store.booking(bookings[1]!.uid)!.status).toBe('accepted');
    expect(store.booking(bookings[3]!.uid)!.updatedAt).toBe(now().toISOString());
    expect(cancelled.deliveries).toHaveLength(1);
    expect(payloadOf(cancelled)).toMatchObject({ uid: bookings[2]!.uid, status: 'CANCELLED' });
    expect(() => store.createRecurringSeries({ start: '2026-06-03T09:00:00Z', count: 1 })).toThrow(/count/);
  });

  it('an instant meeting awaits a host: no user, Cal Video, INSTANT_MEETING', () => {
    const store = new SimStore({ bookings: 0, now });
    const { booking, deliveries } = store.createInstantMeeting({ attendee: person('Ada Lovelace') });
    expect(booking).toMatchObject({
      status: 'awaiting_host',
      hostAssigned: false,
      title: 'Instant Meeting with Ada Lovelace',
    });
    expect(booking.start).toBe(now().toISOString());
    expect(deliveries.map((d) => d.triggerEvent)).toEqual(['INSTANT_MEETING']);
    const v2 = toV2Booking(booking);
    expect(v2).toMatchObject({
      status: 'awaiting_host',
      hosts: [{ id: 'unknown', name: 'unknown', email: 'unknown', username: 'unknown' }],
      location: `https://app.cal.com/video/${booking.uid}`,
      meetingUrl: `https://app.cal.com/video/${booking.uid}`,
      metadata: {},
    });
  });

  it('marks the host absent with no delivery, moving updatedAt', () => {
    const store = new SimStore({ bookings: 5, now });
    const [first] = store.bookings();
    clock += 60_000;
    const change = store.markHostAbsent(first!.uid);
    expect(change.deliveries).toEqual([]);
    expect(toV2Booking(change.booking).absentHost).toBe(true);
    expect(change.booking.updatedAt).toBe(now().toISOString());
  });
});

describe('team event types', () => {
  it('lists the key user’s team; creates and deletes round-robin and collective types', () => {
    const store = new SimStore({ bookings: 0, now });
    const [team] = store.teams.list();
    expect(store.teams.eventTypes(team!.id)).toEqual([]);
    const rr = store.teams.createEventType(team!.id, { title: 'Sales Round Robin' });
    const collective = store.teams.createEventType(team!.id, { title: 'Panel', schedulingType: 'COLLECTIVE' });
    expect(rr).toMatchObject({ slug: 'sales-round-robin', schedulingType: 'ROUND_ROBIN', teamId: team!.id });
    expect(store.teams.eventTypes(team!.id).map((e) => e.id)).toEqual([rr.id, collective.id]);
    store.teams.deleteEventType(team!.id, rr.id);
    expect(store.teams.eventTypes(team!.id).map((e) => e.id)).toEqual([collective.id]);
    expect(() => store.teams.deleteEventType(team!.id, rr.id)).toThrow(`team ${team!.id} has no event type ${rr.id}`);
    expect(() => store.teams.eventTypes(999)).toThrow('team 999 not found');
  });
});

describe("generation with shapes: 'real'", () => {
  const count = (bookings: SimBooking[], test: (b: SimBooking) => boolean) => bookings.filter(test).length;

  it('mixes every real shape, deterministically for a seed, and leaves the default account unchanged', () => {
    const bookings = new SimStore({ bookings: 2000, seed: 3, shapes: 'real', now }).bookings();
    expect(bookings).toEqual(new SimStore({ bookings: 2000, seed: 3, shapes: 'real', now }).bookings());
    expect(count(bookings, (b) => b.otherAttendees.length >= 2 && b.seatsPerTimeSlot === 6)).toBeGreaterThan(20);
    const series = new Set(bookings.flatMap((b) => (b.recurringBookingUid ? [b.recurringBookingUid] : [])));
    expect(series.size).toBeGreaterThan(5);
    expect(count(bookings, (b) => b.status === 'awaiting_host' && !b.hostAssigned)).toBeGreaterThan(5);
    expect(count(bookings, (b) => /^\+\d/.test(b.location) && b.meetingUrl === null)).toBeGreaterThan(20);
    expect(count(bookings, (b) => /Street|St,/.test(b.location) && b.meetingUrl === null)).toBeGreaterThan(20);
    expect(count(bookings, (b) => b.status === 'accepted' && b.cancellationReason === '')).toBeGreaterThan(100);
    expect(count(bookings, (b) => b.absentHost)).toBeGreaterThan(10);
    expect(count(bookings, (b) => b.rescheduledToUid !== null)).toBeGreaterThan(10);
    expect(count(bookings, (b) => Date.parse(b.updatedAt) > clock || b.createdAt > b.updatedAt)).toBe(0);

    const simple = new SimStore({ bookings: 300, seed: 3, now }).bookings();
    expect(count(simple, (b) => b.seatsPerTimeSlot !== null || b.recurringBookingUid !== null)).toBe(0);
    expect(count(simple, (b) => b.cancellationReason === '' || b.status === 'awaiting_host')).toBe(0);
  });

  it('generates 10,000 real-shaped bookings quickly', () => {
    const started = performance.now();
    const store = new SimStore({ bookings: 10_000, seed: 9, shapes: 'real', now });
    store.sortedBy('updatedAt');
    expect(store.bookings()).toHaveLength(10_000);
    // Generous bound: the point is "no quadratic step", not a benchmark.
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
