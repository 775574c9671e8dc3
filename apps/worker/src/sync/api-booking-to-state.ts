import type { CalApiBooking } from '@calsync/cal-client';
import type { AttendeeChange } from '../bookings/attendees.ts';
import { type BookingState, type BookingStatus, emptyBookingState } from '../bookings/booking-state.ts';
import type { BookingUpsert } from '../bookings/upsert-bookings.ts';
import { httpUrl, storableJson, textOrNull } from '../bookings/values.ts';

/** Thrown for an API booking whose status calsync does not know: that item is skipped and recorded, never guessed. */
export class UnknownApiStatusError extends Error {
  override name = 'UnknownApiStatusError';
}

/**
 * API v2 status → calsync status. `now` decides whether an accepted booking has already ended (→ completed).
 * The old half of a reschedule comes back `cancelled` with `rescheduledToUid` set (→ rescheduled). An instant meeting
 * no host has taken yet (`awaiting_host`) is pending.
 */
export function apiStatusToBookingStatus(booking: CalApiBooking, now: Date): BookingStatus {
  switch (booking.status.toLowerCase()) {
    case 'accepted':
      return Date.parse(booking.end) <= now.getTime() ? 'completed' : 'scheduled';
    case 'pending':
    case 'awaiting_host':
      return 'pending';
    case 'cancelled':
      return booking.rescheduledToUid ? 'rescheduled' : 'cancelled';
    case 'rejected':
      return 'rejected';
    default:
      throw new UnknownApiStatusError(`unknown status "${booking.status}"`);
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
    title: booking.title ?? null,
    startTime: new Date(booking.start),
    endTime: new Date(booking.end),
    attendeeName: attendee?.name ?? null,
    attendeeEmail: attendee?.email ?? null,
    attendeeTimezone: attendee?.timeZone ?? null,
    organizerTimezone: host?.timeZone ?? null,
    // Both are `metadata.videoCallUrl || location` in Cal.com's output: only an http(s) URL is a meeting link.
    meetingUrl: httpUrl(booking.meetingUrl) ?? httpUrl(booking.location),
    location: booking.location ?? null,
    metadata: storableJson({ ...booking }),
    rescheduledFromUid: booking.rescheduledFromUid ?? null,
    rescheduledToUid: booking.rescheduledToUid ?? null,
    cancellationReason: textOrNull(booking.cancellationReason),
    calStatus: booking.status.toLowerCase(),
    recurringBookingUid: booking.recurringBookingUid ?? null,
    noShowHost: booking.absentHost ?? null,
  };
}

/** How long after its last upstream change a booking counts as settled: a reconciliation then makes it equal the API. */
export const SETTLE_WINDOW_MS = 10 * 60_000;

export interface ApiBookingWrite {
  upsert: BookingUpsert;
  /** The API's attendee list is the whole truth at the time it was fetched. */
  attendees: AttendeeChange;
}

/**
 * The merge-rule input for one API booking. The information is as new as the API's `updatedAt` (its `createdAt` when
 * the API leaves `updatedAt` out, as it does for a booking never changed). With `settle` (a full reconciliation), a
 * booking unchanged upstream for SETTLE_WINDOW_MS is the truth as of `fetchedAt`: no webhook sent before then may
 * outrank it, whatever its sending time says.
 */
export function apiBookingToWrite(
  booking: CalApiBooking,
  fetchedAt: Date,
  options: { settle?: boolean } = {},
): ApiBookingWrite {
  const state = apiBookingToState(booking, fetchedAt);
  const changedAt = new Date(booking.updatedAt ?? booking.createdAt);
  const settled = options.settle === true && changedAt.getTime() <= fetchedAt.getTime() - SETTLE_WINDOW_MS;
  const upsert: BookingUpsert = settled
    ? { state, infoAt: fetchedAt, source: 'reconcile' }
    : { state, infoAt: changedAt, source: 'api' };
  const attendees: AttendeeChange = {
    kind: 'replace',
    uid: booking.uid,
    at: fetchedAt,
    attendees: booking.attendees.map((a) => ({
      email: a.email,
      name: a.name ?? null,
      timeZone: a.timeZone ?? null,
      locale: a.language ?? null,
      phoneNumber: a.phoneNumber ?? null,
      seatUid: a.seatUid ?? null,
      absent: a.absent ?? null,
    })),
  };
  return { upsert, attendees };
}
