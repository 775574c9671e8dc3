import { bookingPayload, meetingRow, webhookAttendee } from './booking-payload.ts';
import { formatFor, formatTime } from './time-format.ts';
import type { Delivery, SimAttendee, SimBooking } from './types.ts';

/** When a delivery was sent (the envelope's `createdAt`); default now. */
export interface SentAt {
  createdAt?: string | Date;
}

const sentAt = (options: SentAt) => new Date(options.createdAt ?? Date.now()).toISOString();

function envelope(trigger: string, createdAt: string, payload: unknown, booking: SimBooking | null): Delivery {
  const rawBody = JSON.stringify({ triggerEvent: trigger, createdAt, payload });
  return {
    triggerEvent: trigger,
    createdAt,
    rawBody,
    body: JSON.parse(rawBody),
    uid: booking?.uid ?? null,
    booking,
  };
}

/** Seat deliveries: whether the payload names the seat (`attendeeSeatId`). */
export interface SeatOptions extends SentAt {
  /**
   * Default true. Older createNewSeat set `evt.attendeeSeatId` on the event the webhook is built from; newer
   * versions set it on a copy, so the field may be missing: pass false to send that form.
   */
  withSeatId?: boolean;
}

/**
 * A new seat holder joined a seated booking (handleSeats → createNewSeat): BOOKING_CREATED with the booking's
 * own uid and bookingId, status ACCEPTED, `attendees` only the new seat holder and `attendeeSeatId` its seat.
 * `booking` is the seated booking as it is after the join.
 */
export function buildSeatJoinDelivery(
  booking: SimBooking,
  seatHolder: SimAttendee,
  options: SeatOptions = {},
): Delivery {
  const payload = {
    ...bookingPayload(booking),
    attendees: [webhookAttendee(seatHolder, booking.start)],
    ...(options.withSeatId === false ? {} : { attendeeSeatId: seatHolder.seatUid ?? null }),
    status: 'ACCEPTED',
  };
  return envelope('BOOKING_CREATED', sentAt(options), payload, booking);
}

/**
 * One seat holder left (cancelAttendeeSeat): BOOKING_CANCELLED whose payload says CANCELLED and lists only the
 * leaving seat holder, while the booking itself stays ACCEPTED for the others (its updatedAt does not move).
 * `booking` is the seated booking as it is after the seat was removed.
 */
export function buildSeatCancelDelivery(
  booking: SimBooking,
  leaving: SimAttendee,
  options: SentAt & { reason?: string } = {},
): Delivery {
  const payload = {
    ...bookingPayload(booking),
    attendees: [webhookAttendee(leaving, booking.start)],
    // handleCancelBooking builds evt with `cancellationReason || ""`; the seat path adds no cancelledBy.
    cancellationReason: options.reason || '',
    status: 'CANCELLED',
  };
  return envelope('BOOKING_CANCELLED', sentAt(options), payload, booking);
}

/**
 * One seat holder moved to another slot (attendeeRescheduleSeatedBooking): BOOKING_RESCHEDULED about the
 * booking the seat landed in, `rescheduleUid` the booking it left, which stays ACCEPTED for the others.
 */
export function buildSeatMoveDelivery(
  target: SimBooking,
  left: SimBooking,
  mover: SimAttendee,
  options: SeatOptions = {},
): Delivery {
  const format = formatFor(target.id);
  const payload = {
    ...bookingPayload(target),
    attendees: [webhookAttendee(mover, target.start)],
    ...(options.withSeatId === false ? {} : { attendeeSeatId: mover.seatUid ?? null }),
    rescheduleId: left.id,
    rescheduleUid: left.uid,
    rescheduleStartTime: formatTime(left.start, format),
    rescheduleEndTime: formatTime(left.end, format),
    rescheduledBy: mover.email,
    status: 'ACCEPTED',
  };
  return envelope('BOOKING_RESCHEDULED', sentAt(options), payload, target);
}

/**
 * INSTANT_MEETING (InstantBookingCreateService → sendGenericWebhookPayload): the service's own small object, not a
 * booking payload: uid, responses, connectAndJoinUrl, eventTypeId, eventTypeTitle, customInputs, and the trigger
 * repeated inside. Current sendGenericWebhookPayload wraps it in the envelope (`form: 'envelope'`, default);
 * older versions sent the object itself as the body (`form: 'flat'`).
 */
export function buildInstantMeetingDelivery(
  booking: SimBooking,
  options: SentAt & { token?: string; webAppUrl?: string; form?: 'envelope' | 'flat' } = {},
): Delivery {
  const webAppUrl = options.webAppUrl ?? 'https://app.cal.com';
  const token = options.token ?? booking.uid.padEnd(64, '0').slice(0, 64);
  const payload = {
    triggerEvent: 'INSTANT_MEETING',
    uid: booking.uid,
    responses: {
      name: booking.attendee.name,
      email: booking.attendee.email,
      ...(booking.attendee.phoneNumber ? { attendeePhoneNumber: booking.attendee.phoneNumber } : {}),
    },
    connectAndJoinUrl: `${webAppUrl}/connect-and-join?token=${token}`,
    eventTypeId: booking.eventTypeId,
    eventTypeTitle: booking.eventTypeTitle,
    customInputs: {},
  };
  if (options.form !== 'flat') return envelope('INSTANT_MEETING', sentAt(options), payload, booking);
  const rawBody = JSON.stringify(payload);
  const createdAt = sentAt(options);
  return { triggerEvent: 'INSTANT_MEETING', createdAt, rawBody, body: JSON.parse(rawBody), uid: booking.uid, booking };
}

/**
 * MEETING_STARTED / MEETING_ENDED in the newer form (MeetingPayloadBuilder, version 2021-10-20): the same booking
 * row as the legacy flat body, inside the `{triggerEvent, createdAt, payload}` envelope.
 */
export function buildMeetingEnvelopeDelivery(
  trigger: 'MEETING_STARTED' | 'MEETING_ENDED',
  booking: SimBooking,
  options: SentAt = {},
): Delivery {
  const { triggerEvent: _flatTrigger, ...row } = meetingRow(trigger, booking);
  return envelope(trigger, sentAt(options), row, booking);
}

/**
 * A delivery from a webhook with a custom payload template (or a Zapier subscription): the body is whatever the
 * template produced. A value is sent as its JSON; a string is sent as is, and when it is not JSON Cal.com
 * labels it form-encoded. Either way it is signed like every other delivery.
 */
export function buildTemplateDelivery(
  trigger: string,
  body: unknown,
  options: SentAt & { uid?: string | null } = {},
): Delivery {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  if (rawBody === undefined) throw new Error('buildTemplateDelivery: body must be a string or a JSON value');
  let parsed: unknown = rawBody;
  let json = true;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    json = false;
  }
  return {
    triggerEvent: trigger,
    createdAt: sentAt(options),
    rawBody,
    body: parsed,
    ...(json ? {} : { contentType: 'application/x-www-form-urlencoded' }),
    uid: options.uid ?? null,
    booking: null,
  };
}
