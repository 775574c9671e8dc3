import { createRandom } from '../random.ts';
import { buildDelivery } from './build-delivery.ts';
import { makeBooking } from './make-booking.ts';
import type { Delivery, SimBooking } from './types.ts';

/** The booking stories `lifecycle` can tell, each as the deliveries Cal.com would send. */
export const lifecycleKinds = [
  'book',
  'request-confirm',
  'request-reject',
  'cancel',
  'reject',
  'reschedule',
  'reschedule-chain',
  'reschedule-cancel',
  'paid',
  'no-show',
  'meeting',
] as const;
export type LifecycleKind = (typeof lifecycleKinds)[number];

export interface LifecycleOptions {
  /** The booking the story starts with; default `makeBooking({}, seed)`. */
  booking?: SimBooking;
  /** Seeds the default booking and the new uids of reschedules. Default 1. */
  seed?: number;
  /** The first delivery's `createdAt`; default 2026-01-15T12:00:00Z. */
  startAt?: string | Date;
  /** Gap between consecutive deliveries' `createdAt`; default 60 s. */
  stepMs?: number;
}

/**
 * One booking's lifecycle as the ordered deliveries Cal.com sends, with strictly increasing `createdAt`.
 * Each delivery's `booking` is the state it describes; the last ones per uid are what a receiver must end with.
 * - `request-confirm`: BOOKING_REQUESTED then BOOKING_CREATED for the SAME uid (there is no BOOKING_CONFIRMED);
 * - `reject`: BOOKING_REQUESTED then BOOKING_REJECTED (`request-reject` is the same story);
 * - `reschedule`: BOOKING_CREATED(A), BOOKING_RESCHEDULED(B, rescheduleUid A): no CANCELLED is sent for A;
 * - `reschedule-chain`: A → B → C; `reschedule-cancel`: A → B, then B cancelled;
 * - `paid`: BOOKING_PAYMENT_INITIATED then BOOKING_PAID; `no-show`: created then BOOKING_NO_SHOW_UPDATED;
 * - `meeting`: created, MEETING_STARTED, MEETING_ENDED (flat bodies).
 */
export function lifecycle(kind: LifecycleKind, options: LifecycleOptions = {}): Delivery[] {
  const seed = options.seed ?? 1;
  const random = createRandom(seed * 7919 + 17);
  const first = options.booking ?? makeBooking({}, seed);
  const startMs = new Date(options.startAt ?? '2026-01-15T12:00:00Z').getTime();
  const stepMs = options.stepMs ?? 60_000;
  const steps: Array<[string, SimBooking, SimBooking?]> = [];
  const reschedule = (from: SimBooking, n: number): SimBooking => {
    const shift = 86_400_000 * n;
    return {
      ...from,
      uid: random.uid(),
      id: from.id + 100_000 * n,
      start: new Date(Date.parse(from.start) + shift).toISOString(),
      end: new Date(Date.parse(from.end) + shift).toISOString(),
      rescheduledFromUid: from.uid,
      rescheduledFromId: from.id,
      rescheduledToUid: null,
      reschedulingReason: 'Conflict came up',
      rescheduledByEmail: from.attendee.email,
    };
  };
  switch (kind) {
    case 'book':
      steps.push(['BOOKING_CREATED', first]);
      break;
    case 'request-confirm':
      steps.push(['BOOKING_REQUESTED', first], ['BOOKING_CREATED', first]);
      break;
    case 'request-reject':
    case 'reject':
      steps.push(['BOOKING_REQUESTED', first], ['BOOKING_REJECTED', first]);
      break;
    case 'cancel':
      steps.push(['BOOKING_CREATED', first], ['BOOKING_CANCELLED', first]);
      break;
    case 'reschedule': {
      const second = reschedule(first, 1);
      steps.push(['BOOKING_CREATED', first], ['BOOKING_RESCHEDULED', second, first]);
      break;
    }
    case 'reschedule-chain': {
      const second = reschedule(first, 1);
      const third = reschedule(second, 2);
      steps.push(
        ['BOOKING_CREATED', first],
        ['BOOKING_RESCHEDULED', second, first],
        ['BOOKING_RESCHEDULED', third, second],
      );
      break;
    }
    case 'reschedule-cancel': {
      const second = reschedule(first, 1);
      steps.push(['BOOKING_CREATED', first], ['BOOKING_RESCHEDULED', second, first], ['BOOKING_CANCELLED', second]);
      break;
    }
    case 'paid':
      steps.push(['BOOKING_PAYMENT_INITIATED', first], ['BOOKING_PAID', first]);
      break;
    case 'no-show':
      steps.push(['BOOKING_CREATED', first], ['BOOKING_NO_SHOW_UPDATED', first]);
      break;
    case 'meeting':
      steps.push(['BOOKING_CREATED', first], ['MEETING_STARTED', first], ['MEETING_ENDED', first]);
      break;
  }
  return steps.map(([trigger, booking, previous], index) => {
    const createdAt = new Date(startMs + index * stepMs);
    const updated = { ...booking, updatedAt: createdAt.toISOString() };
    return buildDelivery(trigger, updated, { createdAt, ...(previous ? { previous } : {}) });
  });
}
