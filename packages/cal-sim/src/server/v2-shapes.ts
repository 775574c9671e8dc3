import type { SimEventType } from '../store/types.ts';
import { everyAttendee } from '../webhooks/booking-payload.ts';
import type { SimBooking } from '../webhooks/types.ts';

/** API v2's `getHost(null)`: an instant meeting nobody took yet has no user row. */
const unknownHost = {
  id: 'unknown',
  name: 'unknown',
  email: 'unknown',
  displayEmail: 'unknown',
  username: 'unknown',
} as const;

/** Cal.com's `getDisplayEmail`: drops the `+<25 characters>` tag it adds to some attendee addresses. */
export function displayEmail(email: string): string {
  return email.replace(/\+[a-zA-Z0-9]{25}/, '');
}

/**
 * A booking as API v2 (cal-api-version 2024-08-13) answers it, following Cal.com's output service
 * (`apps/api/v2/src/ee/bookings/2024-08-13/services/output.service.ts`): lowercase status; `location` and
 * `meetingUrl` both `videoCallUrl || location`; `cancellationReason` (and, except on seated bookings,
 * `cancelledByEmail`) `""` when empty, whatever the status (a rejection reason is not shown);
 * `reschedulingReason` never filled (the service reads a misspelt key); `metadata` without `videoCallUrl`;
 * seated bookings list every seat holder with `seatUid` and have no `guests`; occurrences of a recurring series
 * carry `recurringBookingUid` and neither `rescheduledToUid` nor `rescheduledByEmail`.
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
            displayEmail: displayEmail(organizer.email),
            username: organizer.username,
            timeZone: organizer.timeZone,
          },
    ],
    status: booking.status,
    cancellationReason: booking.cancellationReason || '',
    ...(seated ? {} : { cancelledByEmail: booking.cancelledByEmail || '' }),
    ...(recurring
      ? { recurringBookingUid: booking.recurringBookingUid }
      : { rescheduledByEmail: booking.rescheduledByEmail, rescheduledToUid: booking.rescheduledToUid }),
    rescheduledFromUid: booking.rescheduledFromUid,
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
      displayEmail: displayEmail(person.email),
      timeZone: person.timeZone,
      language: person.locale,
      absent: person.absent,
      // Only the plain output maps phoneNumber; the seated and recurring outputs leave it out.
      ...(person.phoneNumber && !seated && !recurring ? { phoneNumber: person.phoneNumber } : {}),
      // A seat's own answers, without the e-mail ("not returned for privacy").
      ...(seated
        ? { seatUid: person.seatUid ?? null, bookingFieldsResponses: { name: person.name }, metadata: {} }
        : {}),
    })),
    ...(seated ? {} : { guests: [] }),
    bookingFieldsResponses: {
      name: attendee.name,
      email: attendee.email,
      displayEmail: displayEmail(attendee.email),
      ...(booking.additionalNotes ? { notes: booking.additionalNotes } : {}),
      guests: [],
      displayGuests: [],
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
