import { formatFor, formatTime } from './time-format.ts';
import type { SimAttendee, SimBooking } from './types.ts';

/** Minutes east of UTC for `timeZone` at `at` (Cal.com's `utcOffset`). */
export function utcOffsetMinutes(timeZone: string, at: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(at));
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const upper = {
  accepted: 'ACCEPTED',
  pending: 'PENDING',
  cancelled: 'CANCELLED',
  rejected: 'REJECTED',
  awaiting_host: 'AWAITING_HOST',
} as const;

/** Cal.com's uppercase booking status (webhooks and the MEETING_* row). */
export function upperStatus(status: SimBooking['status']): string {
  return upper[status];
}

function lengthInMinutes(booking: SimBooking): number {
  return Math.round((Date.parse(booking.end) - Date.parse(booking.start)) / 60_000);
}

/**
 * The booking payload of webhook version 2021-10-20 (BookingPayloadBuilder): every field Cal.com sends for a
 * booking trigger, before trigger-specific extras.
 */
export function bookingPayload(booking: SimBooking): Record<string, unknown> {
  const format = formatFor(booking.id);
  const { attendee, organizer } = booking;
  const videoCallData = booking.meetingUrl
    ? { type: 'daily_video', id: booking.uid.slice(0, 12), password: '', url: booking.meetingUrl }
    : undefined;
  return {
    type: booking.eventTypeSlug,
    title: booking.title,
    description: booking.description,
    additionalNotes: booking.additionalNotes,
    customInputs: {},
    startTime: formatTime(booking.start, format),
    endTime: formatTime(booking.end, format),
    organizer: {
      id: organizer.id,
      name: organizer.name,
      email: organizer.email,
      username: organizer.username,
      timeZone: organizer.timeZone,
      language: { locale: organizer.locale },
      timeFormat: 'h:mma',
      utcOffset: utcOffsetMinutes(organizer.timeZone, booking.start),
    },
    responses: {
      name: { label: 'your_name', value: attendee.name },
      email: { label: 'email_address', value: attendee.email },
      location: { label: 'location', value: { optionValue: '', value: booking.location } },
      notes: { label: 'additional_notes', value: booking.additionalNotes || undefined },
      guests: { label: 'additional_guests', value: [] },
      ...(attendee.phoneNumber ? { attendeePhoneNumber: { label: 'phone_number', value: attendee.phoneNumber } } : {}),
    },
    userFieldsResponses: {},
    attendees: everyAttendee(booking).map((person) => webhookAttendee(person, booking.start)),
    location: booking.location,
    hideCalendarNotes: false,
    requiresConfirmation: booking.requiresConfirmation,
    eventTypeId: booking.eventTypeId,
    seatsShowAttendees: true,
    seatsPerTimeSlot: booking.seatsPerTimeSlot,
    ...(booking.recurringEvent ? { recurringEvent: booking.recurringEvent } : {}),
    uid: booking.uid,
    iCalUID: `${booking.uid}@Cal.com`,
    iCalSequence: 0,
    eventTitle: booking.eventTypeTitle,
    eventDescription: null,
    price: booking.price,
    currency: booking.currency,
    length: lengthInMinutes(booking),
    bookingId: booking.id,
    metadata: booking.meetingUrl ? { videoCallUrl: booking.meetingUrl } : {},
    ...(videoCallData ? { videoCallData } : {}),
    status: upperStatus(booking.status),
  };
}

/** Every attendee of the booking: the booker (or first seat holder) first. */
export function everyAttendee(booking: SimBooking): SimAttendee[] {
  return [booking.attendee, ...(booking.otherAttendees ?? [])];
}

/** One entry of a booking payload's `attendees[]` (language is an object, utcOffset at the booking's start). */
export function webhookAttendee(person: SimAttendee, at: string): Record<string, unknown> {
  const [firstName = '', ...rest] = person.name.split(' ');
  return {
    email: person.email,
    name: person.name,
    firstName,
    lastName: rest.join(' '),
    timeZone: person.timeZone,
    language: { locale: person.locale },
    ...(person.phoneNumber ? { phoneNumber: person.phoneNumber } : {}),
    utcOffset: utcOffsetMinutes(person.timeZone, at),
  };
}

/**
 * The flat MEETING_STARTED / MEETING_ENDED body: the booking row itself (Prisma shape, Dates as
 * `toISOString()`, uppercase status) with `triggerEvent` at the root and no envelope.
 */
export function meetingRow(trigger: string, booking: SimBooking): Record<string, unknown> {
  const { attendee, organizer } = booking;
  return {
    triggerEvent: trigger,
    id: booking.id,
    uid: booking.uid,
    userId: booking.hostAssigned ? organizer.id : null,
    eventTypeId: booking.eventTypeId,
    title: booking.title,
    description: booking.description,
    customInputs: {},
    responses: { name: attendee.name, email: attendee.email },
    startTime: new Date(booking.start).toISOString(),
    endTime: new Date(booking.end).toISOString(),
    location: booking.location,
    createdAt: new Date(booking.createdAt).toISOString(),
    updatedAt: new Date(booking.updatedAt).toISOString(),
    status: upperStatus(booking.status),
    paid: booking.price > 0,
    cancellationReason: booking.cancellationReason,
    rejectionReason: booking.rejectionReason,
    rescheduled: booking.rescheduledToUid !== null,
    fromReschedule: booking.rescheduledFromUid,
    recurringEventId: booking.recurringBookingUid,
    metadata: booking.meetingUrl ? { videoCallUrl: booking.meetingUrl } : {},
    isRecorded: false,
    iCalUID: `${booking.uid}@Cal.com`,
    iCalSequence: 0,
    user: booking.hostAssigned
      ? {
          id: organizer.id,
          name: organizer.name,
          email: organizer.email,
          username: organizer.username,
          timeZone: organizer.timeZone,
          locale: organizer.locale,
        }
      : null,
    attendees: everyAttendee(booking).map((person) => ({
      email: person.email,
      name: person.name,
      timeZone: person.timeZone,
      noShow: person.absent,
    })),
  };
}
