import { buildDelivery } from '../webhooks/build-delivery.ts';
import { buildInstantMeetingDelivery } from '../webhooks/shape-deliveries.ts';
import type { Delivery, SimAttendee, SimBooking } from '../webhooks/types.ts';
import type { BookingStore } from './booking-store.ts';
import { SimConflictError } from './errors.ts';
import type { SimChange } from './seats.ts';

export interface RecurringSeriesInput {
  /** The first occurrence's start. */
  start: string | Date;
  /** How many occurrences (2–52). */
  count: number;
  /** Days between occurrences; default 7 (weekly). */
  intervalDays?: number;
  eventTypeId?: number;
  attendee?: SimAttendee;
}

const rruleFrequency = { weekly: 2, daily: 3 } as const;

/**
 * A recurring series (RecurringBookingService): one booking per occurrence, each with its own uid and id, all
 * sharing `recurringBookingUid` and `recurringEvent`, and one BOOKING_CREATED per occurrence.
 */
export function createRecurringSeries(
  store: BookingStore,
  input: RecurringSeriesInput,
): { bookings: SimBooking[]; deliveries: Delivery[] } {
  if (!Number.isInteger(input.count) || input.count < 2 || input.count > 52) {
    throw new Error(`count: must be an integer from 2 to 52, got ${String(input.count)}`);
  }
  const intervalDays = input.intervalDays ?? 7;
  if (!Number.isInteger(intervalDays) || intervalDays < 1) throw new Error('intervalDays: must be a positive integer');
  const firstMs = new Date(input.start).getTime();
  if (Number.isNaN(firstMs)) throw new Error(`start: not a date: ${String(input.start)}`);
  const weekly = intervalDays % 7 === 0;
  const recurringEvent = {
    freq: weekly ? rruleFrequency.weekly : rruleFrequency.daily,
    count: input.count,
    interval: weekly ? intervalDays / 7 : intervalDays,
  };
  const recurringBookingUid = store.randomUid();
  const bookings: SimBooking[] = [];
  for (let index = 0; index < input.count; index++) {
    const start = new Date(firstMs + index * intervalDays * 86_400_000).toISOString();
    const first = bookings[0];
    bookings.push(
      store.createBooking({
        start,
        ...(input.eventTypeId !== undefined ? { eventTypeId: input.eventTypeId } : {}),
        ...(first
          ? { attendee: first.attendee, title: first.title }
          : input.attendee
            ? { attendee: input.attendee }
            : {}),
        recurringBookingUid,
        recurringEvent,
      }),
    );
  }
  const createdAt = store.now();
  const deliveries = bookings.map((booking) =>
    buildDelivery('BOOKING_CREATED', structuredClone(booking), { createdAt }),
  );
  return { bookings, deliveries };
}

/**
 * "Cancel all remaining" on one occurrence (handleCancelBooking with allRemainingBookings): every occurrence of
 * its series that has not ended and is not already cancelled becomes cancelled (each row's updatedAt moves), but
 * only ONE BOOKING_CANCELLED is sent, about `uid`.
 */
export function cancelRemainingOccurrences(
  store: BookingStore,
  uid: string,
  reason = 'Cancelled the remaining occurrences',
): { bookings: SimBooking[]; deliveries: Delivery[] } {
  const chosen = store.requireBooking(uid);
  const series = chosen.recurringBookingUid;
  if (series === null) throw new SimConflictError(`booking ${uid} is not part of a recurring series`);
  const nowMs = store.now().getTime();
  const remaining = store
    .bookings()
    .filter((b) => b.recurringBookingUid === series && b.status !== 'cancelled' && Date.parse(b.end) > nowMs);
  const cancelled = remaining.map((b) => store.cancelBooking(b.uid, reason));
  const about = store.requireBooking(uid);
  const delivery = buildDelivery('BOOKING_CANCELLED', structuredClone(about), { createdAt: store.now() });
  return { bookings: cancelled, deliveries: [delivery] };
}

export interface InstantMeetingInput {
  eventTypeId?: number;
  attendee?: SimAttendee;
}

/**
 * An instant meeting (InstantBookingCreateService): starts now, no host yet (status `awaiting_host`, no user),
 * Cal Video at `https://app.cal.com/video/<uid>`, title "Instant Meeting with <name>"; INSTANT_MEETING is sent.
 */
export function createInstantMeeting(store: BookingStore, input: InstantMeetingInput = {}): SimChange {
  const uid = store.randomUid();
  const eventType = store.eventType(input.eventTypeId ?? -1) ?? store.eventTypes()[0];
  const startMs = Math.floor(store.now().getTime() / 1000) * 1000;
  const minutes = eventType?.lengthInMinutes ?? 15;
  const booking = store.createBooking({
    uid,
    ...(eventType ? { eventTypeId: eventType.id } : {}),
    ...(input.attendee ? { attendee: input.attendee } : {}),
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + minutes * 60_000).toISOString(),
    status: 'awaiting_host',
    hostAssigned: false,
    location: 'integrations:daily',
    meetingUrl: `https://app.cal.com/video/${uid}`,
  });
  booking.title = `Instant Meeting with ${booking.attendee.name}`;
  const delivery = buildInstantMeetingDelivery(structuredClone(booking), { createdAt: store.now() });
  return { booking, deliveries: [delivery] };
}

/**
 * The organizer marks themselves (or is marked) absent: only `absentHost` changes and Cal.com sends no webhook,
 * so the change is visible through the API alone.
 */
export function markHostAbsent(store: BookingStore, uid: string, absent = true): SimChange {
  return { booking: store.updateBooking(uid, { absentHost: absent }), deliveries: [] };
}
