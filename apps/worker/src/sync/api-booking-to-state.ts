import type { CalApiBooking } from '@calsync/cal-client';
import { type BookingState, type BookingStatus, emptyBookingState } from '../bookings/booking-state.ts';
import type { BookingUpsert } from '../bookings/upsert-bookings.ts';

/** Thrown for an API booking whose status calsync does not know: the sync fails loudly rather than guess. */
export class UnknownApiStatusError extends Error {
  override name = 'UnknownApiStatusError';
}

/**
 * API v2 status → calsync status. `now` decides whether an accepted booking has already ended (→ completed).
 * The old half of a reschedule comes back `cancelled` with `rescheduledToUid` set (→ rescheduled).
 */
export function apiStatusToBookingStatus(booking: CalApiBooking, now: Date): BookingStatus {
  switch (booking.status.toLowerCase()) {
    case 'accepted':
      return Date.parse(booking.end) <= now.getTime() ? 'completed' : 'scheduled';
    case 'pending':
      return 'pending';
    case 'cancelled':
      return booking.rescheduledToUid ? 'rescheduled' : 'cancelled';
    case 'rejected':
      return 'rejected';
    default:
      throw new UnknownApiStatusError(`booking ${booking.uid}: unknown status "${booking.status}"`);
  }
}

/** One API v2 booking as calsync's BookingState; `metadata` keeps the whole API object. */
export function apiBookingToState(booking: CalApiBooking, now: Date = new Date()): BookingState {
  const attendee = booking.attendees[0];
  const host = booking.hosts?.[0];
  const eventTypeId = booking.eventTypeId ?? booking.eventType?.id ?? null;
  return {
    ...emptyBookingState(booking.uid, apiStatusToBookingStatus(booking, now)),
    calBookingId: String(booking.id),
    eventTypeId: eventTypeId === null ? null : String(eventTypeId),
    eventTypeSlug: booking.eventType?.slug ?? null,
    title: booking.title,
    startTime: new Date(booking.start),
    endTime: new Date(booking.end),
    attendeeName: attendee?.name ?? null,
    attendeeEmail: attendee?.email ?? null,
    attendeeTimezone: attendee?.timeZone ?? null,
    organizerTimezone: host?.timeZone ?? null,
    meetingUrl: booking.meetingUrl ?? null,
    location: booking.location ?? null,
    metadata: { ...booking },
    rescheduledFromUid: booking.rescheduledFromUid ?? null,
    rescheduledToUid: booking.rescheduledToUid ?? null,
    cancellationReason: booking.cancellationReason ?? null,
  };
}

/**
 * The merge-rule input for one API booking: the information is as new as the API's `updatedAt` (its `createdAt` when
 * the API leaves `updatedAt` out, as it does for a booking never changed).
 */
export function apiBookingToUpsert(booking: CalApiBooking, now: Date = new Date()): BookingUpsert {
  return {
    state: apiBookingToState(booking, now),
    infoAt: new Date(booking.updatedAt ?? booking.createdAt),
    source: 'api',
  };
}
