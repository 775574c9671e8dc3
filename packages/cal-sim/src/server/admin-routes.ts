import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimStore } from '../store/sim-store.ts';
import { buildDelivery } from '../webhooks/build-delivery.ts';
import { sendDelivery } from '../webhooks/send.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { RequestLog } from './request-log.ts';
import { toV2Booking } from './v2-shapes.ts';

const isoString = z.iso.datetime({ offset: true });
export const attendeePatch = z.object({
  name: z.string().min(1),
  email: z.email(),
  timeZone: z.string().min(1).default('Europe/London'),
  locale: z.string().min(1).default('en'),
  phoneNumber: z.string().nullable().default(null),
  absent: z.boolean().default(false),
});
const bookingPatch = z
  .object({
    eventTypeId: z.number().int(),
    title: z.string(),
    description: z.string(),
    start: isoString,
    end: isoString,
    status: z.enum(['accepted', 'pending', 'cancelled', 'rejected', 'awaiting_host']),
    location: z.string(),
    meetingUrl: z.string().nullable(),
    cancellationReason: z.string().nullable(),
    rejectionReason: z.string().nullable(),
    absentHost: z.boolean(),
    attendee: attendeePatch,
  })
  .partial()
  .strict();
const cancelBody = z.object({ reason: z.string().optional() }).default({});
const rescheduleBody = z.object({ start: isoString });
const hiddenBody = z.object({ hidden: z.boolean() });
const outboxBody = z.object({ targetUrl: z.url(), secret: z.string().nullable().default(null) });
const sendBody = z.object({
  trigger: z.string().min(1),
  targetUrl: z.url(),
  secret: z.string().nullable().default(null),
});

/**
 * `/_sim/…`: no auth, not rate limited, not logged. Changes the account upstream (as a person using Cal.com
 * would), reads the request log, and sends a webhook about a stored booking. Bad bodies answer 400 naming the field.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  deps: { store: SimStore; log: RequestLog; limiter: RateLimiter; rateWindowMs: number },
) {
  const { store, log, limiter } = deps;

  app.post('/_sim/bookings', async (request, reply) => {
    const booking = store.createBooking(bookingPatch.parse(request.body ?? {}));
    return reply.code(201).send({ data: toV2Booking(booking) });
  });

  app.patch<{ Params: { uid: string } }>('/_sim/bookings/:uid', async (request) => {
    return { data: toV2Booking(store.updateBooking(request.params.uid, bookingPatch.parse(request.body ?? {}))) };
  });

  app.post<{ Params: { uid: string } }>('/_sim/bookings/:uid/cancel', async (request) => {
    const { reason } = cancelBody.parse(request.body ?? {});
    return { data: toV2Booking(store.cancelBooking(request.params.uid, reason)) };
  });

  app.post<{ Params: { uid: string } }>('/_sim/bookings/:uid/reschedule', async (request) => {
    const { start } = rescheduleBody.parse(request.body ?? {});
    const fresh = store.rescheduleBooking(request.params.uid, start);
    return { data: toV2Booking(fresh), previous: toV2Booking(store.booking(request.params.uid)!) };
  });

  app.post<{ Params: { uid: string } }>('/_sim/bookings/:uid/webhook', async (request) => {
    const { trigger, targetUrl, secret } = sendBody.parse(request.body ?? {});
    const booking = store.toSimBooking(request.params.uid);
    const previous = booking.rescheduledFromUid ? store.booking(booking.rescheduledFromUid) : undefined;
    const delivery = buildDelivery(trigger, booking, previous ? { previous } : {});
    const answer = await sendDelivery(targetUrl, delivery, secret);
    return { delivery: delivery.body, answer };
  });

  app.delete<{ Params: { id: string } }>('/_sim/event-types/:id', async (request, reply) => {
    store.deleteEventType(Number(request.params.id));
    return reply.code(204).send();
  });

  app.patch<{ Params: { id: string } }>('/_sim/event-types/:id', async (request) => {
    const { hidden } = hiddenBody.parse(request.body ?? {});
    return { data: store.setEventTypeHidden(Number(request.params.id), hidden) };
  });

  app.get('/_sim/outbox', async () => ({ deliveries: store.outbox.map((delivery) => delivery.body) }));

  // Sends what the API's writes caused, in order, once each (as Cal.com does), then empties the outbox.
  app.post('/_sim/outbox/send', async (request) => {
    const { targetUrl, secret } = outboxBody.parse(request.body ?? {});
    const answers = [];
    for (const delivery of store.outbox.splice(0)) answers.push(await sendDelivery(targetUrl, delivery, secret));
    return { sent: answers.length, answers };
  });

  app.get<{ Querystring: { windowMs?: string; entries?: string } }>('/_sim/log', async (request) => {
    const windowMs = Number(request.query.windowMs ?? deps.rateWindowMs);
    return {
      count: log.count(),
      count429: log.count429(),
      windowMs,
      maxInWindow: log.maxInWindow(windowMs),
      ...(request.query.entries === 'true' ? { entries: log.entries } : {}),
    };
  });

  app.post('/_sim/log/reset', async () => {
    log.reset();
    return { reset: true };
  });

  app.post('/_sim/rate-limit/reset', async () => {
    limiter.reset();
    return { reset: true };
  });
}
