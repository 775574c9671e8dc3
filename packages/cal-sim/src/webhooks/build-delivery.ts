import { bookingPayload, meetingRow } from './booking-payload.ts';
import { formatFor, formatTime } from './time-format.ts';
import { stateAfter } from './trigger-state.ts';
import type { Delivery, SimBooking } from './types.ts';

/** Every trigger Cal.com documents (calcom-facts.md); others are sent as booking payloads, like newer triggers. */
export const knownTriggers = [
  'BOOKING_CREATED',
  'BOOKING_REQUESTED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
  'BOOKING_REJECTED',
  'BOOKING_PAID',
  'BOOKING_PAYMENT_INITIATED',
  'BOOKING_NO_SHOW_UPDATED',
  'MEETING_STARTED',
  'MEETING_ENDED',
  'RECORDING_READY',
  'RECORDING_TRANSCRIPTION_GENERATED',
  'INSTANT_MEETING',
  'FORM_SUBMITTED',
  'FORM_SUBMITTED_NO_EVENT',
  'OOO_CREATED',
  'AFTER_HOSTS_CAL_VIDEO_NO_SHOW',
  'AFTER_GUESTS_CAL_VIDEO_NO_SHOW',
  'PING',
] as const;

export interface BuildOptions {
  /** The envelope's `createdAt` (time of sending); default now. */
  createdAt?: string | Date;
  /** Merged into the payload (into the root for the flat MEETING_* body): extra or overriding fields. */
  extra?: Record<string, unknown>;
  /** BOOKING_RESCHEDULED: the old booking (its uid, id and times fill `rescheduleUid`, `rescheduleId`, …). */
  previous?: SimBooking;
}

/**
 * One delivery for `trigger` about `booking`, in Cal.com's exact format (webhook version 2021-10-20).
 * The booking is first moved to the state the trigger implies (BOOKING_CANCELLED → cancelled, …).
 */
export function buildDelivery(trigger: string, booking: SimBooking, options: BuildOptions = {}): Delivery {
  const createdAt = new Date(options.createdAt ?? Date.now()).toISOString();
  const state = stateAfter(trigger, booking);
  const extra = options.extra ?? {};
  let body: Record<string, unknown>;
  if (trigger === 'MEETING_STARTED' || trigger === 'MEETING_ENDED') {
    body = { ...meetingRow(trigger, state), ...extra };
  } else {
    const payload = { ...payloadFor(trigger, state, options.previous), ...extra };
    body = { triggerEvent: trigger, createdAt, payload };
    if (trigger === 'FORM_SUBMITTED' || trigger === 'FORM_SUBMITTED_NO_EVENT') Object.assign(body, formAnswers(state));
  }
  const rawBody = JSON.stringify(body);
  const about = trigger !== 'PING' && !trigger.startsWith('FORM_SUBMITTED') && trigger !== 'OOO_CREATED';
  return {
    triggerEvent: trigger,
    createdAt,
    rawBody,
    body: JSON.parse(rawBody),
    uid: about ? state.uid : null,
    booking: about ? state : null,
  };
}

function payloadFor(trigger: string, booking: SimBooking, previous: SimBooking | undefined): Record<string, unknown> {
  const base = bookingPayload(booking);
  switch (trigger) {
    case 'PING':
      return pingPayload(booking);
    case 'BOOKING_CANCELLED':
      return {
        ...base,
        cancellationReason: booking.cancellationReason,
        cancelledBy: booking.cancelledByEmail,
        requestReschedule: false,
      };
    case 'BOOKING_REJECTED':
      return { ...base, rejectionReason: booking.rejectionReason };
    case 'BOOKING_RESCHEDULED':
      return { ...base, ...rescheduleFields(booking, previous) };
    case 'BOOKING_PAID':
    case 'BOOKING_PAYMENT_INITIATED':
      return { ...base, ...paymentFields(trigger, booking) };
    case 'BOOKING_NO_SHOW_UPDATED':
      return {
        message: `${booking.attendee.email} marked as no-show`,
        bookingUid: booking.uid,
        bookingId: booking.id,
        attendees: [{ email: booking.attendee.email, noShow: booking.attendee.absent }],
      };
    case 'RECORDING_READY':
      return { ...base, downloadLink: `https://cal-video-recordings.example.com/${booking.uid}.mp4` };
    case 'RECORDING_TRANSCRIPTION_GENERATED':
      return {
        ...base,
        downloadLinks: { transcription: [{ format: 'json', link: `https://t.example.com/${booking.uid}` }] },
      };
    case 'FORM_SUBMITTED':
    case 'FORM_SUBMITTED_NO_EVENT':
      return formPayload(booking);
    case 'OOO_CREATED':
      return oooPayload(booking);
    default:
      return base;
  }
}

function rescheduleFields(booking: SimBooking, previous: SimBooking | undefined): Record<string, unknown> {
  const oldUid = previous?.uid ?? booking.rescheduledFromUid;
  if (!oldUid) throw new Error('BOOKING_RESCHEDULED needs booking.rescheduledFromUid or options.previous');
  const format = formatFor(booking.id);
  // Without the old booking, assume it was one day earlier: the receiver only needs a plausible instant.
  const oldStart = previous?.start ?? new Date(Date.parse(booking.start) - 86_400_000).toISOString();
  const oldEnd = previous?.end ?? new Date(Date.parse(booking.end) - 86_400_000).toISOString();
  return {
    rescheduleId: previous?.id ?? booking.rescheduledFromId ?? booking.id - 1,
    rescheduleUid: oldUid,
    rescheduleStartTime: formatTime(oldStart, format),
    rescheduleEndTime: formatTime(oldEnd, format),
    rescheduledBy: booking.rescheduledByEmail ?? booking.attendee.email,
  };
}

function paymentFields(trigger: string, booking: SimBooking): Record<string, unknown> {
  const paymentId = booking.id * 10 + 1;
  return {
    paymentId,
    paymentData: {
      id: paymentId,
      uid: `pay_${booking.uid.slice(0, 10)}`,
      appId: 'stripe',
      bookingId: booking.id,
      amount: booking.price,
      fee: 0,
      currency: booking.currency,
      success: trigger === 'BOOKING_PAID',
      refunded: false,
      data: {},
      externalId: `pi_${booking.uid.slice(0, 14)}`,
      paymentOption: 'ON_BOOKING',
    },
  };
}

function pingPayload(booking: SimBooking): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    type: 'Test',
    title: 'Test trigger event',
    description: '',
    startTime: now,
    endTime: now,
    attendees: [],
    organizer: {
      name: 'Cal',
      email: 'no-reply@cal.com',
      timeZone: booking.organizer.timeZone,
      language: { locale: 'en' },
    },
  };
}

function formPayload(booking: SimBooking): Record<string, unknown> {
  return {
    formId: `form-${booking.eventTypeId}`,
    formName: 'Lead routing',
    teamId: null,
    responses: {
      Name: { value: booking.attendee.name, response: booking.attendee.name },
      Email: { value: booking.attendee.email, response: booking.attendee.email },
    },
  };
}

/** FORM_SUBMITTED also copies each answer to the body's root, keyed by the field's label. */
function formAnswers(booking: SimBooking): Record<string, unknown> {
  return { Name: booking.attendee.name, Email: booking.attendee.email };
}

function oooPayload(booking: SimBooking): Record<string, unknown> {
  const { organizer } = booking;
  return {
    oooEntry: {
      id: booking.id,
      uuid: booking.uid,
      start: booking.start,
      end: booking.end,
      createdAt: booking.createdAt,
      updatedAt: booking.updatedAt,
      notes: null,
      reason: { emoji: '🏝️', reason: 'vacation' },
      reasonId: 1,
      user: {
        id: organizer.id,
        name: organizer.name,
        username: organizer.username,
        email: organizer.email,
        timeZone: organizer.timeZone,
      },
      toUser: null,
    },
  };
}
