import type { SimEventType } from '../store/types.ts';
import { everyAttendee } from '../webhooks/booking-payload.ts';
import type { SimBooking } from '../webhooks/types.ts';

/** API v2's `getHost(null)`: an instant meeting nobody took yet has no user row. */
const unknownHost = { id: 'unknown', name: 'unknown', email: 'unknown', username: 'unknown' } as const;

/**
 * A booking as API v2 (cal-api-version 2024-08-13) answers it, following Cal.com's output service: lowercase
 * status, `start`/`end`, hosts; `location` and `meetingUrl` are both `videoCallUrl || location`; `metadata` has
 * `videoCallUrl` removed; a seated booking lists every seat holder with its `seatUid` and has no `guests`; an
 * occurrence of a recurring series carries `recurringBookingUid` and never `rescheduledToUid`.
 */
export function toV2Booking(booking: SimBooking) {
  const { attendee, organizer } = booking;
  const start = new Date(booking.start);
  const end = new Date(booking.end);
  const seated = booking.seatsPerTimeSlot !== null && booking.seatsPerTimeSlot !== undefined;
  const recurring = booking.recurringBookingUid !== null && booking.recurringBookingUid !== undefined;
  const location = booking.meetingUrl || booking.location;
  return {
    id: booking.id,
    uid: booking.uid,
    title: booking.title,
    description: booking.description,
    hosts: [
      booking.hostAssigned === false
        ? unknownHost
        : {
            id: organizer.id,
            name: organizer.name,
            email: organizer.email,
            username: organizer.username,
            timeZone: organizer.timeZone,
          },
    ],
    status: booking.status,
    cancellationReason: booking.cancellationReason ?? booking.rejectionReason,
    cancelledByEmail: booking.cancelledByEmail,
    reschedulingReason: booking.reschedulingReason,
    rescheduledByEmail: booking.rescheduledByEmail,
    rescheduledFromUid: booking.rescheduledFromUid,
    ...(recurring
      ? { recurringBookingUid: booking.recurringBookingUid }
      : { rescheduledToUid: booking.rescheduledToUid }),
    start: start.toISOString(),
    end: end.toISOString(),
    duration: Math.round((end.getTime() - start.getTime()) / 60_000),
    eventTypeId: booking.eventTypeId,
    eventType: { id: booking.eventTypeId, slug: booking.eventTypeSlug },
    meetingUrl: location,
    location,
    absentHost: booking.absentHost,
    createdAt: new Date(booking.createdAt).toISOString(),
    updatedAt: new Date(booking.updatedAt).toISOString(),
    metadata: {},
    rating: null,
    icsUid: `${booking.uid}@Cal.com`,
    attendees: everyAttendee(booking).map((person) => ({
      name: person.name,
      email: person.email,
      timeZone: person.timeZone,
      language: person.locale,
      absent: person.absent,
      ...(person.phoneNumber ? { phoneNumber: person.phoneNumber } : {}),
      ...(seated ? { seatUid: person.seatUid ?? null, bookingFieldsResponses: { name: person.name } } : {}),
    })),
    ...(seated ? {} : { guests: [] }),
    bookingFieldsResponses: {
      name: attendee.name,
      email: attendee.email,
      ...(booking.additionalNotes ? { notes: booking.additionalNotes } : {}),
      guests: [],
    },
  };
}

/** An event type as API v2 (cal-api-version 2024-06-14) answers it. */
export function toV2EventType(eventType: SimEventType, ownerId: number) {
  return {
    id: eventType.id,
    ownerId,
    slug: eventType.slug,
    title: eventType.title,
    lengthInMinutes: eventType.lengthInMinutes,
    lengthInMinutesOptions: [],
    description: eventType.description,
    hidden: eventType.hidden,
    price: eventType.price,
    currency: eventType.currency,
    locations: eventType.locations,
    bookingFields: [],
    disableGuests: false,
    slotInterval: null,
    minimumBookingNotice: 0,
    beforeEventBuffer: 0,
    afterEventBuffer: 0,
    seatsPerTimeSlot: eventType.seatsPerTimeSlot ?? null,
    requiresConfirmation: false,
    metadata: {},
    users: [{ id: ownerId }],
  };
}
