import { buildDelivery, buildSeatJoinDelivery, type Delivery, perturbStream, type SimBooking } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fidelity, startFidelity } from '../../test/fidelity-harness.ts';

// Seated events as Cal.com sends them (packages/features/bookings/lib/handleSeats/create/createNewSeat.ts,
// handleSeats/cancel/cancelAttendeeSeat.ts, handleSeats/reschedule/attendee/attendeeRescheduleSeatedBooking.ts),
// through the simulator's store, which builds every delivery with the builders in
// packages/cal-sim/src/webhooks/shape-deliveries.ts.

const env = useTestEnv();
let f: Fidelity;
beforeAll(async () => {
  // `real` seats the second event type (6 seats per slot).
  f = await startFidelity(env, { bookings: 20, shapes: 'real' });
});
afterAll(async () => await f?.close());

const seatedEventType = () => {
  const type = f.sim.store.eventTypes().find((t) => t.seatsPerTimeSlot);
  if (!type) throw new Error('the real account has no seated event type');
  return type;
};

/** A seated booking with three seat holders and the three BOOKING_CREATED (same uid) Cal.com sent for them. */
const made: string[] = [];
function threeSeats(n: number, start: string) {
  const booking = f.sim.store.createBooking({ eventTypeId: seatedEventType().id, start });
  made.push(booking.uid);
  // handleNewBooking sets evt.attendeeSeatId for the first seat too, so its BOOKING_CREATED has the seat's shape.
  const first = buildSeatJoinDelivery(structuredClone(booking), booking.attendee, { createdAt: f.sim.store.now() });
  const second = f.sim.store.addSeat(booking.uid, { name: `Second ${n}`, email: `second-${n}@example.com` });
  const third = f.sim.store.addSeat(booking.uid, { name: `Third ${n}`, email: `third-${n}@example.com` });
  const seats = [booking.attendee.seatUid!, second.seatUid, third.seatUid];
  return { booking, seats, joins: [first, ...second.deliveries, ...third.deliveries] };
}

const everyone = (b: SimBooking) => [b.attendee, ...b.otherAttendees];

/** Seat uids of the attendees still on the booking, sorted (arrival order depends on the delivery order). */
async function activeSeats(uid: string) {
  return (await f.attendees(uid))
    .filter((a) => a.leftAt === null)
    .map((a) => a.seatUid)
    .sort();
}
const sorted = <T>(items: T[]) => [...items].sort();

describe('seated bookings, end to end', () => {
  it('three seat holders on one booking: one row, the first holder on it, three attendee rows with seat uids', async () => {
    const { booking, seats, joins } = threeSeats(1, '2027-03-01T10:00:00Z');
    // One at a time, as Cal.com sends them when each seat is taken.
    for (const join of joins) await f.deliver([join]);
    const row = await f.booking(booking.uid);
    expect(row).toMatchObject({
      status: 'scheduled',
      calBookingId: String(booking.id),
      attendeeEmail: booking.attendee.email,
      attendeeName: booking.attendee.name,
      seatsPerTimeSlot: 6,
    });
    const attendees = await f.attendees(booking.uid);
    expect(attendees.map((a) => [a.email, a.seatUid, a.leftAt])).toEqual(
      everyone(booking).map((a, i) => [a.email, seats[i], null]),
    );
  });

  it('one seat cancelled: that holder left, the booking stays scheduled; the last one leaving cancels it', async () => {
    const { booking, seats, joins } = threeSeats(2, '2027-03-02T10:00:00Z');
    for (const join of joins) await f.deliver([join]);
    await f.deliver(f.sim.store.cancelSeat(booking.uid, seats[1]!, 'Cannot make it').deliveries);
    expect((await f.booking(booking.uid)).status).toBe('scheduled');
    expect(await activeSeats(booking.uid)).toEqual(sorted([seats[0], seats[2]]));
    const left = (await f.attendees(booking.uid)).find((a) => a.seatUid === seats[1]);
    expect(left?.leftAt).not.toBeNull();

    const firstEmail = booking.attendee.email;
    await f.deliver(f.sim.store.cancelSeat(booking.uid, seats[0]!).deliveries);
    // The row keeps the one who booked even after they left: attendee_* is the first attendee, not the current one.
    expect(await f.booking(booking.uid)).toMatchObject({ status: 'scheduled', attendeeEmail: firstEmail });
    // The last seat holder leaving: Cal.com cancels the whole booking.
    await f.deliver(f.sim.store.cancelSeat(booking.uid, seats[2]!).deliveries);
    expect((await f.booking(booking.uid)).status).toBe('cancelled');
    expect(await activeSeats(booking.uid)).toEqual([]);
  });

  it('the organizer cancelling the whole seated booking (every holder listed) cancels it; a sync adds the reason', async () => {
    const { booking, joins } = threeSeats(4, '2027-03-04T10:00:00Z');
    for (const join of joins) await f.deliver([join]);
    const cancelled = f.sim.store.cancelBooking(booking.uid, 'Workshop called off');
    // handleCancelBooking lists every attendee of the booking in the payload.
    const delivery = buildDelivery('BOOKING_CANCELLED', structuredClone(cancelled));
    expect((delivery.body as { payload: { attendees: unknown[] } }).payload.attendees).toHaveLength(3);
    await f.deliver([delivery]);
    expect((await f.booking(booking.uid)).status).toBe('cancelled');
    expect(await activeSeats(booking.uid)).toEqual([]);
    // A seat delivery cannot tell a seat's reason from the booking's; the API can.
    await f.sync('bookings_sync');
    expect(await f.booking(booking.uid)).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Workshop called off',
    });
  });

  it('a late seat delivery does not reopen a booking the API says is cancelled', async () => {
    const { booking } = threeSeats(5, '2027-03-05T10:00:00Z');
    // Sent a minute before the cancellation (the seats' own deliveries share its millisecond here).
    const sentBefore = new Date(Date.now() - 60_000);
    const joins = everyone(booking).map((holder) =>
      buildSeatJoinDelivery(structuredClone(booking), holder, { createdAt: sentBefore }),
    );
    f.sim.store.cancelBooking(booking.uid, 'Workshop called off');
    // The cancellation's webhook was lost; a sync learns it, with every seat holder still listed by the API.
    expect(await f.sync('bookings_sync')).toMatchObject({ status: 'succeeded' });
    expect(await f.booking(booking.uid)).toMatchObject({ status: 'cancelled', source: 'api' });
    // Then the seat deliveries, sent before the cancellation, arrive late.
    for (const join of joins) await f.deliver([join]);
    expect((await f.booking(booking.uid)).status).toBe('cancelled');
  });

  it('the same deliveries shuffled and duplicated end the same, whatever the order', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { booking, seats, joins } = threeSeats(10 + seed, `2027-03-${String(10 + seed)}T10:00:00Z`);
      const stream: Delivery[] = [...joins, ...f.sim.store.cancelSeat(booking.uid, seats[1]!).deliveries];
      for (const delivery of perturbStream(stream, { seed, shuffle: true, duplicateRate: 0.5 })) {
        await f.deliver([delivery]); // one at a time, so this order is the order applied
      }
      expect((await f.booking(booking.uid)).status, `seed ${seed}`).toBe('scheduled');
      expect(await activeSeats(booking.uid), `seed ${seed}`).toEqual(sorted([seats[0], seats[2]]));
    }
  });

  it('every seat cancelled, shuffled and duplicated: the booking ends cancelled with nobody on it', async () => {
    for (const seed of [7, 8, 9]) {
      const { booking, seats, joins } = threeSeats(20 + seed, `2027-04-0${String(seed)}T10:00:00Z`);
      const leaves = [seats[1]!, seats[0]!, seats[2]!].flatMap(
        (s) => f.sim.store.cancelSeat(booking.uid, s).deliveries,
      );
      for (const delivery of perturbStream([...joins, ...leaves], { seed, shuffle: true, duplicateRate: 0.5 })) {
        await f.deliver([delivery]);
      }
      expect((await f.booking(booking.uid)).status, `seed ${seed}`).toBe('cancelled');
      expect(await activeSeats(booking.uid), `seed ${seed}`).toEqual([]);
    }
  });

  it('a seat move shuffled among the joins still leaves the old booking scheduled for the others', async () => {
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const { booking, seats, joins } = threeSeats(30 + seed, `2027-06-${String(seed)}T10:00:00Z`);
      const moved = f.sim.store.moveSeat(booking.uid, seats[2]!, `2027-06-${String(seed)}T15:00:00Z`);
      made.push(moved.booking.uid);
      for (const delivery of perturbStream([...joins, ...moved.deliveries], {
        seed,
        shuffle: true,
        duplicateRate: 0.5,
      })) {
        await f.deliver([delivery]);
      }
      expect(await f.booking(booking.uid), `seed ${seed}`).toMatchObject({
        status: 'scheduled',
        rescheduledToUid: null,
      });
      expect(await activeSeats(booking.uid), `seed ${seed}`).toEqual(sorted([seats[0], seats[1]]));
      expect((await f.booking(moved.booking.uid)).status, `seed ${seed}`).toBe('scheduled');
      expect(await activeSeats(moved.booking.uid), `seed ${seed}`).toEqual([seats[2]]);
    }
  });

  it('a seat moved to another slot leaves the old booking scheduled for the others; a reconciliation agrees', async () => {
    const { booking, seats, joins } = threeSeats(3, '2027-05-03T10:00:00Z');
    await f.deliver(joins);
    const moved = f.sim.store.moveSeat(booking.uid, seats[1]!, '2027-05-04T10:00:00Z');
    await f.deliver(moved.deliveries);
    expect(await f.booking(booking.uid)).toMatchObject({ status: 'scheduled', rescheduledToUid: null });
    expect(await activeSeats(booking.uid)).toEqual(sorted([seats[0], seats[2]]));
    expect(await f.booking(moved.booking.uid)).toMatchObject({ status: 'scheduled' });
    expect(await activeSeats(moved.booking.uid)).toEqual([seats[1]]);

    // The API lists every seat holder: after a reconciliation the active attendees are exactly the API's.
    const run = await f.sync('reconcile');
    expect(run).toMatchObject({ status: 'succeeded', itemsSkipped: 0 });
    // Every seated booking this file made (all in 2027, so none has ended yet).
    for (const sim of [...made, moved.booking.uid].map((uid) => f.sim.store.requireBooking(uid))) {
      const expected = sim.status === 'cancelled' ? 'cancelled' : 'scheduled';
      expect((await f.booking(sim.uid)).status, sim.uid).toBe(expected);
      expect(await activeSeats(sim.uid), sim.uid).toEqual(sorted(everyone(sim).map((a) => a.seatUid)));
    }
  });
});
