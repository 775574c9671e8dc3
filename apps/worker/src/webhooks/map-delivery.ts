import type { BookingPayload, Delivery, FlatBooking, MeetingTrigger } from '@calsync/cal-client';
import type { AttendeeChange, AttendeeInfo } from '../bookings/attendees.ts';
import { type BookingState, type BookingStatus, emptyBookingState } from '../bookings/booking-state.ts';
import type { BookingFact } from '../bookings/record-facts.ts';
import type { BookingUpsert } from '../bookings/upsert-bookings.ts';
import { httpUrl, textOrNull } from '../bookings/values.ts';

/** What one delivery does to the mirror; `null` when it names no booking (PING, unknown triggers). */
export interface DeliveryEffect {
  upserts: BookingUpsert[];
  facts: BookingFact[];
  /** Seat changes are marked `seated`: they decide a seated booking's status once applied (see writeAttendees). */
  attendees: AttendeeChange[];
  /** Every booking uid touched, for the per-booking locks. */
  uids: string[];
  /** The delivery cannot tell everything that happened (a recurring series cancelled at once): sync to learn the rest. */
  needsSync: boolean;
}

const statusByTrigger: Record<string, BookingStatus> = {
  BOOKING_CREATED: 'scheduled',
  BOOKING_REQUESTED: 'pending',
  BOOKING_RESCHEDULED: 'scheduled',
  BOOKING_CANCELLED: 'cancelled',
  BOOKING_REJECTED: 'rejected',
  BOOKING_PAID: 'scheduled',
  BOOKING_PAYMENT_INITIATED: 'scheduled',
};

/**
 * Maps a parsed delivery to booking upserts (through the merge rule), attendee changes and status-neutral facts.
 * `receivedAt` dates facts that carry no time of their own (the flat MEETING_STARTED / MEETING_ENDED body).
 */
export function mapDelivery(delivery: Delivery, receivedAt: Date): DeliveryEffect | null {
  switch (delivery.kind) {
    case 'ping':
    case 'other':
      return null;
    case 'no-show': {
      const { payload, createdAt } = delivery;
      const uid = payload.bookingUid;
      const state = { ...emptyBookingState(uid, 'scheduled'), calBookingId: idText(payload.bookingId) };
      const marks = payload.attendees.map(({ email, noShow }) => ({ email, noShow }));
      return {
        ...noEffect([uid]),
        upserts: [{ state, infoAt: createdAt, source: 'webhook', fillOnly: true }],
        facts: [{ kind: 'no-show', uid, at: createdAt, attendees: marks, host: payload.noShowHost ?? null }],
        attendees: [{ kind: 'absent', uid, at: createdAt, marks }],
      };
    }
    case 'meeting':
      return delivery.form === 'flat'
        ? mapMeeting(delivery.trigger, delivery.booking, receivedAt)
        : mapMeeting(delivery.trigger, delivery.payload, delivery.createdAt);
    case 'booking':
      return mapBooking(delivery.trigger, delivery.payload, delivery.createdAt);
  }
}

const noEffect = (uids: string[]): DeliveryEffect => ({
  upserts: [],
  facts: [],
  attendees: [],
  uids,
  needsSync: false,
});

/** A seated event type's delivery speaks for the seat holders it lists, not for the whole booking. */
const isSeated = (p: BookingPayload) => (p.seatsPerTimeSlot ?? 0) > 0 || Boolean(p.attendeeSeatId);

function mapBooking(trigger: string, payload: BookingPayload, createdAt: Date): DeliveryEffect {
  const infoAt = bookingChangeTime(payload) ?? createdAt;
  const state = bookingState(payload, statusByTrigger[trigger] ?? 'scheduled');
  const effect = noEffect([payload.uid]);
  const attendees = payload.attendees.map((a) => attendeeInfo(a, payload.attendeeSeatId));
  const seated = isSeated(payload);
  if (trigger === 'BOOKING_PAID' || trigger === 'BOOKING_PAYMENT_INITIATED') {
    effect.upserts.push({ state, infoAt, source: 'webhook', fillOnly: true });
    const payment = { paymentId: payload.paymentId ?? null, ...asRecord(payload.paymentData) };
    effect.facts.push({ kind: 'payment', uid: payload.uid, paid: trigger === 'BOOKING_PAID', payment });
  } else if (trigger === 'BOOKING_CANCELLED' && seated) {
    // Seat holders leaving (cancelAttendeeSeat; the last one's cancellation lists only them too): the booking ends
    // only when nobody holds a seat, which is known only once every seat delivery arrived, in whatever order. So
    // this says nothing about the status; the attendee rows decide it (`seated` in writeAttendees).
    state.status = 'scheduled';
    state.cancellationReason = null;
    effect.upserts.push({ state, infoAt, source: 'webhook', fillOnly: true });
    effect.attendees.push({ kind: 'leave', uid: payload.uid, at: infoAt, attendees, seated: true });
    return effect;
  } else {
    effect.upserts.push({ state, infoAt, source: 'webhook' });
    // Cancelling a recurring booking may cancel its later occurrences without a delivery of their own.
    if (trigger === 'BOOKING_CANCELLED' && payload.recurringEvent) effect.needsSync = true;
  }
  effect.attendees.push({ kind: 'join', uid: payload.uid, at: infoAt, attendees, seated });

  const oldUid = trigger === 'BOOKING_RESCHEDULED' ? payload.rescheduleUid : null;
  if (oldUid && oldUid !== payload.uid) {
    state.rescheduledFromUid = oldUid;
    // The old half: Cal.com sends no CANCELLED for it. Its own payload (if ever seen) stays its metadata.
    const old: BookingState = {
      ...state,
      calUid: oldUid,
      calBookingId: idText(payload.rescheduleId),
      startTime: toDate(payload.rescheduleStartTime),
      endTime: toDate(payload.rescheduleEndTime),
      status: 'rescheduled',
      meetingUrl: null,
      metadata: null,
      calStatus: null,
      rescheduledFromUid: null,
      rescheduledToUid: payload.uid,
    };
    effect.uids.push(oldUid);
    if (seated) {
      // A seat holder moving to another slot (attendeeRescheduleSeatedBooking): the old booking goes on for the
      // others, and is cancelled (not rescheduled) once its last seat holder is gone, so its seats decide.
      const left = { ...old, status: 'scheduled' as const, rescheduledToUid: null };
      effect.upserts.push({ state: left, infoAt, source: 'webhook', fillOnly: true });
      effect.attendees.push({ kind: 'leave', uid: oldUid, at: infoAt, attendees, seated: true });
    } else {
      effect.upserts.push({ state: old, infoAt, source: 'webhook' });
    }
  }
  return effect;
}

/**
 * MEETING_STARTED / MEETING_ENDED, flat or in the envelope: their booking fields are frozen at booking time, so they
 * only fill what is unknown; the meeting's start or end is recorded, and an ended meeting whose end has passed completes.
 */
/** What both MEETING_* forms say about the booking (the envelope form may name it by `id` alone). */
type MeetingRow = Pick<
  FlatBooking,
  'id' | 'eventTypeId' | 'title' | 'startTime' | 'endTime' | 'location' | 'metadata' | 'user' | 'attendees'
> & { uid?: string | null };

function mapMeeting(trigger: MeetingTrigger, row: MeetingRow, at: Date): DeliveryEffect {
  const uid = row.uid ?? null;
  const bookingId = idText(row.id);
  const fact: BookingFact = {
    kind: trigger === 'MEETING_STARTED' ? 'meeting-started' : 'meeting-ended',
    uid,
    bookingId,
    at,
  };
  if (!uid) return { ...noEffect([]), facts: [fact] };
  const attendee = row.attendees[0];
  const state: BookingState = {
    ...emptyBookingState(uid, 'scheduled'),
    calBookingId: bookingId,
    eventTypeId: idText(row.eventTypeId),
    title: row.title ?? null,
    startTime: toDate(row.startTime),
    endTime: toDate(row.endTime),
    attendeeName: attendee?.name ?? null,
    attendeeEmail: attendee?.email ?? null,
    attendeeTimezone: attendee?.timeZone ?? null,
    organizerTimezone: row.user?.timeZone ?? null,
    location: row.location ?? null,
    meetingUrl: meetingUrl(null, row.metadata, row.location),
  };
  return {
    ...noEffect([uid]),
    upserts: [{ state, infoAt: at, source: 'webhook' as const, fillOnly: true }],
    facts: [fact],
  };
}

function bookingState(p: BookingPayload, status: BookingStatus): BookingState {
  const attendee = p.attendees[0];
  const calStatus = p.status?.toLowerCase() ?? null;
  return {
    ...emptyBookingState(p.uid, calStatus === 'awaiting_host' ? 'pending' : status),
    calBookingId: idText(p.bookingId),
    eventTypeId: idText(p.eventTypeId),
    eventTypeSlug: p.type ?? null,
    title: p.title ?? null,
    startTime: toDate(p.startTime),
    endTime: toDate(p.endTime),
    attendeeName: attendee?.name ?? null,
    attendeeEmail: attendee?.email ?? null,
    attendeeTimezone: attendee?.timeZone ?? null,
    organizerTimezone: p.organizer?.timeZone ?? null,
    meetingUrl: meetingUrl(p.videoCallData?.url, p.metadata, p.location),
    location: p.location ?? null,
    metadata: p as Record<string, unknown>,
    cancellationReason: textOrNull(p.cancellationReason),
    rejectionReason: textOrNull(p.rejectionReason),
    calStatus,
    recurringBookingUid: typeof p.recurringBookingUid === 'string' ? p.recurringBookingUid : null,
    seatsPerTimeSlot: p.seatsPerTimeSlot ?? null,
  };
}

function attendeeInfo(a: BookingPayload['attendees'][number], seatUid: string | null | undefined): AttendeeInfo {
  return {
    email: a.email,
    name: a.name ?? null,
    timeZone: a.timeZone ?? null,
    locale: a.language?.locale ?? null,
    phoneNumber: typeof a.phoneNumber === 'string' ? a.phoneNumber : null,
    seatUid: seatUid ?? null,
    absent: null,
  };
}

/** The booking's own change time when the body carries one (it beats the sending time: see "two clocks" in the README). */
function bookingChangeTime(p: BookingPayload): Date | null {
  const updatedAt = typeof p.updatedAt === 'string' ? new Date(p.updatedAt) : null;
  return updatedAt && !Number.isNaN(updatedAt.getTime()) ? updatedAt : null;
}

/** videoCallData.url, then metadata.videoCallUrl, then a location that is itself a URL: http(s) only. */
function meetingUrl(
  videoUrl: string | null | undefined,
  metadata: Record<string, unknown> | null | undefined,
  location: string | null | undefined,
): string | null {
  const fromMetadata = typeof metadata?.videoCallUrl === 'string' ? metadata.videoCallUrl : null;
  return httpUrl(videoUrl) ?? httpUrl(fromMetadata) ?? httpUrl(location);
}

const idText = (id: number | null | undefined) => (id === null || id === undefined ? null : String(id));
const toDate = (iso: string | null | undefined) => (iso ? new Date(iso) : null);
const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
