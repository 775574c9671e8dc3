import { buildDelivery } from '../webhooks/build-delivery.ts';
import { buildSeatCancelDelivery, buildSeatJoinDelivery, buildSeatMoveDelivery } from '../webhooks/shape-deliveries.ts';
import type { Delivery, SimAttendee, SimBooking } from '../webhooks/types.ts';
import type { BookingStore } from './booking-store.ts';
import { SimConflictError } from './errors.ts';

/** What a store operation changed and the webhook deliveries Cal.com would send for it, in order. */
export interface SimChange {
  booking: SimBooking;
  deliveries: Delivery[];
}

/** A seat holder for `addSeat`: name and email are needed, the rest has defaults. */
export type SeatHolderInput = Pick<SimAttendee, 'name' | 'email'> & Partial<Omit<SimAttendee, 'name' | 'email'>>;

function seatHolder(store: BookingStore, input: SeatHolderInput): SimAttendee {
  return {
    timeZone: 'Europe/London',
    locale: 'en',
    phoneNumber: null,
    absent: false,
    ...input,
    seatUid: input.seatUid ?? store.randomUid(),
  };
}

function requireSeated(store: BookingStore, uid: string): SimBooking {
  const booking = store.requireBooking(uid);
  if (booking.seatsPerTimeSlot === null) throw new SimConflictError(`booking ${uid} is not seated`);
  return booking;
}

function seatHolders(booking: SimBooking): SimAttendee[] {
  return [booking.attendee, ...booking.otherAttendees];
}

/** Replaces the seat holders in place: Cal.com changes Attendee and BookingSeat rows, not the booking's updatedAt. */
function setSeatHolders(booking: SimBooking, holders: SimAttendee[]) {
  const [first, ...rest] = holders;
  if (!first) throw new Error('a seated booking keeps at least one seat holder');
  booking.attendee = first;
  booking.otherAttendees = rest;
}

/** A new seat holder joins the seated booking `uid` (createNewSeat). 409 when the slot is full or they are on it. */
export function addSeat(store: BookingStore, uid: string, input: SeatHolderInput): SimChange & { seatUid: string } {
  const booking = requireSeated(store, uid);
  if (booking.status !== 'accepted') throw new SimConflictError(`booking ${uid} is ${booking.status}, not accepted`);
  const holders = seatHolders(booking);
  if (holders.length >= (booking.seatsPerTimeSlot ?? 0)) throw new SimConflictError(`booking ${uid} has no free seat`);
  if (holders.some((holder) => holder.email.toLowerCase() === input.email.toLowerCase())) {
    throw new SimConflictError(`${input.email} already holds a seat on booking ${uid}`);
  }
  const joined = seatHolder(store, input);
  setSeatHolders(booking, [...holders, joined]);
  const delivery = buildSeatJoinDelivery(structuredClone(booking), joined, { createdAt: store.now() });
  return { booking, seatUid: joined.seatUid!, deliveries: [delivery] };
}

/**
 * The holder of `seatUid` leaves (cancelAttendeeSeat): BOOKING_CANCELLED about that seat while the booking stays
 * accepted, updatedAt unchanged. The last seat holder leaving cancels the whole booking, as Cal.com does.
 */
export function cancelSeat(store: BookingStore, uid: string, seatUid: string, reason?: string): SimChange {
  const booking = requireSeated(store, uid);
  const holders = seatHolders(booking);
  const leaving = holders.find((holder) => holder.seatUid === seatUid);
  if (!leaving) throw new SimConflictError(`seat ${seatUid} is not on booking ${uid}`);
  if (holders.length === 1) {
    const cancelled = store.cancelBooking(uid, reason);
    return { booking: cancelled, deliveries: [buildDelivery('BOOKING_CANCELLED', structuredClone(cancelled))] };
  }
  setSeatHolders(
    booking,
    holders.filter((holder) => holder !== leaving),
  );
  const delivery = buildSeatCancelDelivery(structuredClone(booking), leaving, {
    createdAt: store.now(),
    ...(reason ? { reason } : {}),
  });
  return { booking, deliveries: [delivery] };
}

/**
 * The holder of `seatUid` moves to `newStart` (attendeeRescheduleSeatedBooking): into the accepted seated booking of
 * the same event type at that time when there is one, else into a new booking. The booking left stays accepted
 * for the others, so the BOOKING_RESCHEDULED's `rescheduleUid` still names a live booking.
 */
export function moveSeat(
  store: BookingStore,
  uid: string,
  seatUid: string,
  newStart: string | Date,
): SimChange & { previous: SimBooking } {
  const left = requireSeated(store, uid);
  const startMs = new Date(newStart).getTime();
  if (Number.isNaN(startMs)) throw new Error(`newStart: not a date: ${String(newStart)}`);
  const holders = seatHolders(left);
  const mover = holders.find((holder) => holder.seatUid === seatUid);
  if (!mover) throw new SimConflictError(`seat ${seatUid} is not on booking ${uid}`);
  if (holders.length === 1) throw new SimConflictError(`seat ${seatUid} is the last one: reschedule the booking`);
  const existing = store
    .bookings()
    .find(
      (b) =>
        b.eventTypeId === left.eventTypeId &&
        b.status === 'accepted' &&
        b.seatsPerTimeSlot !== null &&
        Date.parse(b.start) === startMs,
    );
  if (existing && seatHolders(existing).length >= (existing.seatsPerTimeSlot ?? 0)) {
    throw new SimConflictError(`booking ${existing.uid} at ${new Date(startMs).toISOString()} has no free seat`);
  }
  setSeatHolders(
    left,
    holders.filter((holder) => holder !== mover),
  );
  let target: SimBooking;
  if (existing) {
    setSeatHolders(existing, [...seatHolders(existing), mover]);
    target = existing;
  } else {
    const { uid: _uid, id: _id, ...rest } = structuredClone(left);
    target = store.createBooking({
      ...rest,
      attendee: mover,
      otherAttendees: [],
      start: new Date(startMs).toISOString(),
      end: new Date(startMs + Date.parse(left.end) - Date.parse(left.start)).toISOString(),
    });
  }
  const delivery = buildSeatMoveDelivery(structuredClone(target), structuredClone(left), mover, {
    createdAt: store.now(),
  });
  return { booking: target, previous: left, deliveries: [delivery] };
}
