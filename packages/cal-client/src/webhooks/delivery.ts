import type { z } from 'zod';
import {
  type BookingPayload,
  bookingPayloadSchema,
  envelopeSchema,
  type FlatBooking,
  flatBookingSchema,
  type NoShowPayload,
  noShowPayloadSchema,
} from './delivery-schemas.ts';
import { flatTriggers } from './envelope.ts';
import { WebhookShapeError } from './errors.ts';

/** Triggers whose payload is a 2021-10-20 booking. */
export const bookingTriggers = [
  'BOOKING_CREATED',
  'BOOKING_REQUESTED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
  'BOOKING_REJECTED',
  'BOOKING_PAID',
  'BOOKING_PAYMENT_INITIATED',
] as const;
export type BookingTrigger = (typeof bookingTriggers)[number];

/** A fully parsed delivery, by kind. `other` covers every trigger calsync stores but does not apply. */
export type Delivery =
  | { kind: 'booking'; trigger: BookingTrigger; createdAt: Date; payload: BookingPayload }
  | { kind: 'no-show'; trigger: 'BOOKING_NO_SHOW_UPDATED'; createdAt: Date; payload: NoShowPayload }
  | { kind: 'meeting'; trigger: 'MEETING_STARTED' | 'MEETING_ENDED'; booking: FlatBooking }
  | { kind: 'ping'; trigger: 'PING'; createdAt: Date }
  | { kind: 'other'; trigger: string };

const isBookingTrigger = (t: string): t is BookingTrigger => (bookingTriggers as readonly string[]).includes(t);

/**
 * Parses a delivery's JSON for the worker. A known trigger whose fields calsync relies on are missing or wrong throws
 * a WebhookShapeError naming the path (e.g. `payload.uid must be a string`); unknown triggers are `other`.
 */
export function parseDelivery(json: unknown): Delivery {
  const trigger = (json as { triggerEvent?: unknown } | null)?.triggerEvent;
  if (typeof trigger !== 'string' || trigger === '') throw new WebhookShapeError('triggerEvent', 'must be a string');
  if (flatTriggers.has(trigger) && (json as { payload?: unknown }).payload === undefined) {
    const booking = check(flatBookingSchema, json, '');
    return { kind: 'meeting', trigger: trigger as 'MEETING_STARTED' | 'MEETING_ENDED', booking };
  }
  if (!isBookingTrigger(trigger) && trigger !== 'BOOKING_NO_SHOW_UPDATED' && trigger !== 'PING') {
    return { kind: 'other', trigger };
  }
  const envelope = check(envelopeSchema, json, '');
  const createdAt = new Date(envelope.createdAt);
  if (trigger === 'PING') return { kind: 'ping', trigger, createdAt };
  if (trigger === 'BOOKING_NO_SHOW_UPDATED') {
    return { kind: 'no-show', trigger, createdAt, payload: check(noShowPayloadSchema, envelope.payload, 'payload') };
  }
  return { kind: 'booking', trigger, createdAt, payload: check(bookingPayloadSchema, envelope.payload, 'payload') };
}

function check<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw WebhookShapeError.fromZod(result.error, prefix);
  return result.data;
}
