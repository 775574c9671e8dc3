import type { SimEventType } from '../store/types.ts';
import type { SimBooking } from '../webhooks/types.ts';

/** A booking as API v2 (cal-api-version 2024-08-13) answers it: lowercase status, `start`/`end`, hosts. */
export function toV2Booking(booking: SimBooking) {
  const { attendee, organizer } = booking;
  const start = new Date(booking.start);
  const end = new Date(booking.end);
  return {
    id: booking.id,
    uid: booking.uid,
    title: booking.title,
    description: booking.description,
    hosts: [
      {
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
    rescheduledToUid: booking.rescheduledToUid,
    start: start.toISOString(),
    end: end.toISOString(),
    duration: Math.round((end.getTime() - start.getTime()) / 60_000),
    eventTypeId: booking.eventTypeId,
    eventType: { id: booking.eventTypeId, slug: booking.eventTypeSlug },
    meetingUrl: booking.meetingUrl,
    location: booking.location,
    absentHost: booking.absentHost,
    createdAt: new Date(booking.createdAt).toISOString(),
    updatedAt: new Date(booking.updatedAt).toISOString(),
    metadata: booking.meetingUrl ? { videoCallUrl: booking.meetingUrl } : {},
    rating: null,
    icsUid: `${booking.uid}@Cal.com`,
    attendees: [
      {
        name: attendee.name,
        email: attendee.email,
        timeZone: attendee.timeZone,
        language: attendee.locale,
        absent: attendee.absent,
        ...(attendee.phoneNumber ? { phoneNumber: attendee.phoneNumber } : {}),
      },
    ],
    guests: [],
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
    seatsPerTimeSlot: null,
    requiresConfirmation: false,
    metadata: {},
    users: [{ id: ownerId }],
  };
}
