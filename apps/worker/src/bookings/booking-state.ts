import type { BookingStatus } from '@calsync/db';

export type { BookingStatus };

/**
 * calsync's normalised view of one booking, as a webhook or an API answer tells it. `null` means "this source does
 * not say": the merge rule never lets a null erase a known value.
 */
export interface BookingState {
  calUid: string;
  calBookingId: string | null;
  eventTypeId: string | null;
  eventTypeSlug: string | null;
  title: string | null;
  startTime: Date | null;
  endTime: Date | null;
  attendeeName: string | null;
  attendeeEmail: string | null;
  attendeeTimezone: string | null;
  organizerTimezone: string | null;
  status: BookingStatus;
  meetingUrl: string | null;
  location: string | null;
  metadata: Record<string, unknown> | null;
  rescheduledFromUid: string | null;
  rescheduledToUid: string | null;
  cancellationReason: string | null;
  rejectionReason: string | null;
  /** Cal.com's own status word (`accepted`, `awaiting_host`, …), lowercase. */
  calStatus: string | null;
  recurringBookingUid: string | null;
  seatsPerTimeSlot: number | null;
  noShowHost: boolean | null;
}

/** A state with only the uid and status known: the starting point of mappers that fill what they know. */
export function emptyBookingState(calUid: string, status: BookingStatus): BookingState {
  return {
    calUid,
    calBookingId: null,
    eventTypeId: null,
    eventTypeSlug: null,
    title: null,
    startTime: null,
    endTime: null,
    attendeeName: null,
    attendeeEmail: null,
    attendeeTimezone: null,
    organizerTimezone: null,
    status,
    meetingUrl: null,
    location: null,
    metadata: null,
    rescheduledFromUid: null,
    rescheduledToUid: null,
    cancellationReason: null,
    rejectionReason: null,
    calStatus: null,
    recurringBookingUid: null,
    seatsPerTimeSlot: null,
    noShowHost: null,
  };
}
