import type { z } from 'zod';
import {
  type BookingPayload,
  bookingPayloadSchema,
  envelopeSchema,
  type FlatBooking,
  flatBookingSchema,
  type MeetingPayload,
  meetingPayloadSchema,
  type NoShowPayload,
  noShowPayloadSchema,
} from './delivery-schemas.ts';
import { flatTriggers } from './envelope.ts';
import { WebhookShapeError } from './errors.ts';

/**
 * Triggers whose payload is a 2021-10-20 booking. INSTANT_MEETING is not one: its payload is a notification
 * (`{title, body, icon, url, actions, requireInteraction, type}`, `InstantMeetingBuilder`), so it stays `other`.
 */
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
  | { kind: 'meeting'; trigger: MeetingTrigger; form: 'flat'; booking: FlatBooking }
  | { kind: 'meeting'; trigger: MeetingTrigger; form: 'envelope'; createdAt: Date; payload: MeetingPayload }
  | { kind: 'ping'; trigger: 'PING'; createdAt: Date }
  | { kind: 'other'; trigger: string };

export type MeetingTrigger = 'MEETING_STARTED' | 'MEETING_ENDED';

const isBookingTrigger = (t: string): t is BookingTrigger => (bookingTriggers as readonly string[]).includes(t);

/**
 * Parses a delivery's JSON for the worker. A known trigger whose fields calsync relies on are missing or wrong throws
 * a WebhookShapeError naming the path (e.g. `payload.uid must be a string`); unknown triggers are `other`.
 */
export function parseDelivery(json: unknown): Delivery {
  const trigger = (json as { triggerEvent?: unknown } | null)?.triggerEvent;
  if (typeof trigger !== 'string' || trigger === '') throw new WebhookShapeError('triggerEvent', 'must be a string');
  if (flatTriggers.has(trigger)) return parseMeeting(trigger as MeetingTrigger, json);
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

/** MEETING_* come flat (`{triggerEvent, ...booking}`, older senders) or in the envelope (`MeetingPayloadBuilder`). */
function parseMeeting(trigger: MeetingTrigger, json: unknown): Delivery {
  if ((json as { payload?: unknown }).payload === undefined) {
    return { kind: 'meeting', trigger, form: 'flat', booking: check(flatBookingSchema, json, '') };
  }
  const envelope = check(envelopeSchema, json, '');
  const payload = check(meetingPayloadSchema, envelope.payload, 'payload');
  return { kind: 'meeting', trigger, form: 'envelope', createdAt: new Date(envelope.createdAt), payload };
}

function check<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw WebhookShapeError.fromZod(result.error, prefix);
  return result.data;
}
