import type { BookingPayload, Delivery, FlatBooking } from '@calsync/cal-client';
import { type BookingState, type BookingStatus, emptyBookingState } from '../bookings/booking-state.ts';
import type { BookingFact } from '../bookings/record-facts.ts';
import type { BookingUpsert } from '../bookings/upsert-bookings.ts';

/** What one delivery does to cal_bookings; `null` when it names no booking (PING, unknown triggers). */
export interface DeliveryEffect {
  upserts: BookingUpsert[];
  facts: BookingFact[];
  /** Every booking uid touched, for the per-booking locks. */
  uids: string[];
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
 * Maps a parsed delivery to booking upserts (through the merge rule) and status-neutral facts.
 * `receivedAt` dates facts that carry no time of their own (MEETING_STARTED / MEETING_ENDED).
 */
export function mapDelivery(delivery: Delivery, receivedAt: Date): DeliveryEffect | null {
  switch (delivery.kind) {
    case 'ping':
    case 'other':
      return null;
    case 'no-show': {
      const { payload, createdAt } = delivery;
      const state = { ...emptyBookingState(payload.bookingUid, 'scheduled'), calBookingId: idText(payload.bookingId) };
      return {
        upserts: [{ state, infoAt: createdAt, source: 'webhook', fillOnly: true }],
        facts: [
          {
            kind: 'no-show',
            uid: payload.bookingUid,
            at: createdAt,
            attendees: payload.attendees.map(({ email, noShow }) => ({ email, noShow })),
            host: payload.noShowHost ?? null,
          },
        ],
        uids: [payload.bookingUid],
      };
    }
    case 'meeting':
      return mapMeeting(delivery.trigger, delivery.booking, receivedAt);
    case 'booking':
      return mapBooking(delivery.trigger, delivery.payload, delivery.createdAt);
  }
}

function mapBooking(trigger: string, payload: BookingPayload, createdAt: Date): DeliveryEffect {
  const state = bookingState(payload, statusByTrigger[trigger] ?? 'scheduled');
  const upserts: BookingUpsert[] = [];
  const facts: BookingFact[] = [];
  const uids = [payload.uid];
  if (trigger === 'BOOKING_PAID' || trigger === 'BOOKING_PAYMENT_INITIATED') {
    upserts.push({ state, infoAt: createdAt, source: 'webhook', fillOnly: true });
    const payment = { paymentId: payload.paymentId ?? null, ...asRecord(payload.paymentData) };
    facts.push({ kind: 'payment', uid: payload.uid, paid: trigger === 'BOOKING_PAID', payment });
  } else {
    upserts.push({ state, infoAt: createdAt, source: 'webhook' });
  }
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
      rescheduledFromUid: null,
      rescheduledToUid: payload.uid,
    };
    upserts.push({ state: old, infoAt: createdAt, source: 'webhook' });
    uids.push(oldUid);
  }
  return { upserts, facts, uids };
}

function mapMeeting(trigger: 'MEETING_STARTED' | 'MEETING_ENDED', row: FlatBooking, receivedAt: Date): DeliveryEffect {
  const attendee = row.attendees[0];
  const state: BookingState = {
    ...emptyBookingState(row.uid, trigger === 'MEETING_ENDED' ? 'completed' : 'scheduled'),
    calBookingId: idText(row.id),
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
    metadata: row as Record<string, unknown>,
  };
  // The flat body has no sending time: the booking row's updatedAt is the newest time it speaks for.
  const infoAt = toDate(row.updatedAt) ?? toDate(row.endTime) ?? receivedAt;
  const fact: BookingFact =
    trigger === 'MEETING_STARTED'
      ? { kind: 'meeting-started', uid: row.uid, at: receivedAt }
      : { kind: 'meeting-ended', uid: row.uid, at: receivedAt };
  return {
    upserts: [{ state, infoAt, source: 'webhook', fillOnly: trigger === 'MEETING_STARTED' }],
    facts: [fact],
    uids: [row.uid],
  };
}

function bookingState(p: BookingPayload, status: BookingStatus): BookingState {
  const attendee = p.attendees[0];
  return {
    calUid: p.uid,
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
    status,
    meetingUrl: meetingUrl(p.videoCallData?.url, p.metadata, p.location),
    location: p.location ?? null,
    metadata: p as Record<string, unknown>,
    rescheduledFromUid: null,
    rescheduledToUid: null,
    cancellationReason: p.cancellationReason ?? null,
    rejectionReason: p.rejectionReason ?? null,
  };
}

/** videoCallData.url, then metadata.videoCallUrl, then a location that is itself a URL. */
function meetingUrl(
  videoUrl: string | null | undefined,
  metadata: Record<string, unknown> | null | undefined,
  location: string | null | undefined,
): string | null {
  if (videoUrl) return videoUrl;
  const fromMetadata = metadata?.videoCallUrl;
  if (typeof fromMetadata === 'string' && fromMetadata) return fromMetadata;
  return location && /^https?:\/\//i.test(location) ? location : null;
}

const idText = (id: number | null | undefined) => (id === null || id === undefined ? null : String(id));
const toDate = (iso: string | null | undefined) => (iso ? new Date(iso) : null);
const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
