import { z } from 'zod';

// Cal.com's 2021-10-20 webhook payloads. Extra fields pass (loose objects); the fields calsync relies on are checked.

const isoTime = z.iso.datetime({ offset: true, local: false });
const optionalText = z.string().nullish();

export const languageSchema = z.looseObject({ locale: z.string() });

export const attendeeSchema = z.looseObject({
  email: z.string(),
  name: z.string().nullish(),
  timeZone: z.string().nullish(),
  language: languageSchema.nullish(),
});

export const organizerSchema = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  timeZone: z.string().nullish(),
  language: languageSchema.nullish(),
});

/** The booking payload of BOOKING_* triggers. */
export const bookingPayloadSchema = z.looseObject({
  uid: z.string().min(1),
  bookingId: z.number().int().nullish(),
  eventTypeId: z.number().int().nullish(),
  type: optionalText,
  title: optionalText,
  startTime: isoTime,
  endTime: isoTime,
  /** `ACCEPTED`, `PENDING`, `CANCELLED`, `REJECTED`, `AWAITING_HOST` today; any string, so a new status is not lost. */
  status: z.string().min(1).nullish(),
  attendees: z.array(attendeeSchema).default([]),
  organizer: organizerSchema.nullish(),
  location: optionalText,
  metadata: z.record(z.string(), z.unknown()).nullish(),
  videoCallData: z.looseObject({ url: z.string().nullish() }).nullish(),
  responses: z.record(z.string(), z.unknown()).nullish(),
  rescheduleId: z.number().int().nullish(),
  rescheduleUid: optionalText,
  rescheduleStartTime: isoTime.nullish(),
  rescheduleEndTime: isoTime.nullish(),
  cancellationReason: optionalText,
  rejectionReason: optionalText,
  paymentId: z.number().int().nullish(),
  paymentData: z.unknown().optional(),
  /** Seated event types (`handleSeats`): the seat this delivery is about, and the event type's seat settings. */
  attendeeSeatId: optionalText,
  seatsPerTimeSlot: z.number().int().nullish(),
  seatsShowAttendees: z.boolean().nullish(),
  /** Recurring event types: the series rule (`freq`, `count`, `interval`). */
  recurringEvent: z.looseObject({}).nullish(),
});
export type BookingPayload = z.infer<typeof bookingPayloadSchema>;

export const noShowPayloadSchema = z.looseObject({
  bookingUid: z.string().min(1),
  bookingId: z.number().int().nullish(),
  message: optionalText,
  attendees: z.array(z.looseObject({ email: z.string(), noShow: z.boolean() })).default([]),
  /** Present when the host's own no-show flag changed. */
  noShowHost: z.boolean().nullish(),
});
export type NoShowPayload = z.infer<typeof noShowPayloadSchema>;

/** The flat body of MEETING_STARTED / MEETING_ENDED: the booking row itself. */
export const flatBookingSchema = z.looseObject({
  id: z.number().int().nullish(),
  uid: z.string().min(1),
  eventTypeId: z.number().int().nullish(),
  title: optionalText,
  startTime: isoTime,
  endTime: isoTime,
  status: z.string().nullish(),
  createdAt: isoTime.nullish(),
  updatedAt: isoTime.nullish(),
  location: optionalText,
  metadata: z.record(z.string(), z.unknown()).nullish(),
  user: z.looseObject({ timeZone: z.string().nullish() }).nullish(),
  attendees: z
    .array(z.looseObject({ email: z.string(), name: z.string().nullish(), timeZone: z.string().nullish() }))
    .default([]),
});
export type FlatBooking = z.infer<typeof flatBookingSchema>;

/**
 * The payload of MEETING_STARTED / MEETING_ENDED in the envelope form (`MeetingPayloadBuilder`: `payload: {...booking}`):
 * the same booking row as the flat body, not a 2021-10-20 booking payload. Cal.com's DTO type lists `id` but not `uid`,
 * so either identifies the booking.
 */
export const meetingPayloadSchema = flatBookingSchema
  .extend({ uid: z.string().min(1).nullish() })
  .refine((booking) => booking.uid || booking.id != null, { message: 'needs a uid or an id', path: ['uid'] });
export type MeetingPayload = z.infer<typeof meetingPayloadSchema>;

export const envelopeSchema = z.looseObject({
  triggerEvent: z.string().min(1),
  createdAt: isoTime,
  payload: z.record(z.string(), z.unknown()),
});
