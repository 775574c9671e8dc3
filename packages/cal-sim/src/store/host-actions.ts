import { buildDelivery } from '../webhooks/build-delivery.ts';
import type { SimBooking } from '../webhooks/types.ts';
import type { BookingStore } from './booking-store.ts';
import { SimBadRequestError, SimNotFoundError } from './errors.ts';
import type { SimChange } from './seats.ts';
import type { SimEventType } from './types.ts';

// API v2's tRPC exception filter replaces the handler's own message ("Booking already confirmed") with this one.
const TRPC_BAD_REQUEST = 'Bad request: Please check your request data and try again';

function requireBooking(store: BookingStore, uid: string): SimBooking {
  const booking = store.booking(uid);
  if (!booking) throw new SimNotFoundError(`Booking with uid=${uid} was not found in the database`);
  return booking;
}

/**
 * `POST /v2/bookings/{uid}/confirm` as `confirm.handler.ts` does it: only an ACCEPTED booking is refused (any other
 * status, even cancelled, is accepted); BOOKING_CREATED is sent again for the same uid (there is no BOOKING_CONFIRMED).
 */
export function confirmBooking(store: BookingStore, uid: string): SimChange {
  const booking = requireBooking(store, uid);
  if (booking.status === 'accepted') throw new SimBadRequestError(TRPC_BAD_REQUEST, 'TRPCError');
  const confirmed = store.updateBooking(uid, { status: 'accepted', rejectionReason: null });
  return { booking: confirmed, deliveries: [buildDelivery('BOOKING_CREATED', structuredClone(confirmed))] };
}

/** `POST /v2/bookings/{uid}/decline`: the same handler with `confirmed: false`; status REJECTED, BOOKING_REJECTED. */
export function declineBooking(store: BookingStore, uid: string, reason: string | undefined): SimChange {
  const booking = requireBooking(store, uid);
  if (booking.status === 'accepted') throw new SimBadRequestError(TRPC_BAD_REQUEST, 'TRPCError');
  const rejected = store.updateBooking(uid, { status: 'rejected', rejectionReason: reason ?? null });
  return { booking: rejected, deliveries: [buildDelivery('BOOKING_REJECTED', structuredClone(rejected))] };
}

/** `POST /v2/bookings/{uid}/cancel` by the host: an already cancelled booking is refused; BOOKING_CANCELLED. */
export function cancelBookingByHost(store: BookingStore, uid: string, reason: string | undefined): SimChange {
  const booking = requireBooking(store, uid);
  if (booking.status === 'cancelled' || booking.status === 'rejected') {
    throw new SimBadRequestError('This booking has already been cancelled.');
  }
  const cancelled = store.updateBooking(uid, {
    status: 'cancelled',
    cancellationReason: reason ?? null,
    cancelledByEmail: booking.organizer.email,
  });
  return { booking: cancelled, deliveries: [buildDelivery('BOOKING_CANCELLED', structuredClone(cancelled))] };
}

export interface MarkAbsentBody {
  host?: boolean;
  attendees?: Array<{ email: string; absent: boolean }>;
}

/**
 * `POST /v2/bookings/{uid}/mark-absent` (`bookings.service.ts` `markAbsent`): refused before the booking's start;
 * attendees' flags change (BOOKING_NO_SHOW_UPDATED lists them); the host's flag alone sends no webhook.
 */
export function markAbsent(store: BookingStore, uid: string, body: MarkAbsentBody): SimChange {
  const booking = requireBooking(store, uid);
  const now = store.now();
  if (now.getTime() < Date.parse(booking.start)) {
    throw new SimBadRequestError(
      `Bookings can only be marked as absent after their scheduled start time. Current time in UTC+0: ${now.toISOString()}, Booking start time in UTC+0: ${new Date(booking.start).toISOString()}`,
    );
  }
  const people = [booking.attendee, ...booking.otherAttendees];
  for (const mark of body.attendees ?? []) {
    const person = people.find((p) => p.email.toLowerCase() === mark.email.toLowerCase());
    if (!person) throw new SimBadRequestError(`Attendee with email ${mark.email} is not an attendee of this booking`);
    person.absent = mark.absent;
  }
  const updated = store.updateBooking(uid, body.host === undefined ? {} : { absentHost: body.host });
  const marks = body.attendees ?? [];
  if (marks.length === 0) return { booking: updated, deliveries: [] };
  const absentCount = marks.filter((m) => m.absent).length;
  const delivery = buildDelivery('BOOKING_NO_SHOW_UPDATED', structuredClone(updated), {
    createdAt: store.now(),
    extra: {
      message:
        absentCount === 1
          ? `${marks.find((m) => m.absent)?.email} marked as no-show`
          : `${absentCount} attendees marked as no-show`,
      attendees: marks.map((m) => ({ email: m.email, noShow: m.absent })),
    },
  });
  return { booking: updated, deliveries: [delivery] };
}

export interface EventTypePatch {
  title?: string;
  description?: string;
  lengthInMinutes?: number;
  hidden?: boolean;
}

/** `PATCH /v2/event-types/{id}`: the given fields change; nothing is sent to webhooks. */
export function updateEventType(store: BookingStore, id: number, patch: EventTypePatch): SimEventType {
  const eventType = store.eventType(id);
  if (!eventType) throw new SimNotFoundError(`Event type with id=${id} not found`);
  Object.assign(eventType, patch);
  return eventType;
}
