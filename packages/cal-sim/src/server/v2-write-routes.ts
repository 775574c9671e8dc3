import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimStore } from '../store/sim-store.ts';
import { simOrganizer } from '../webhooks/make-booking.ts';
import { requireApiVersion } from './api-version.ts';
import { toV2Booking, toV2EventType } from './v2-shapes.ts';

// Cal.com validates with class-validator and a whitelist: unknown fields are dropped, known ones checked.
const declineInput = z.object({ reason: z.string().optional() });
const cancelInput = z.object({ cancellationReason: z.string().optional() });
const markAbsentInput = z.object({
  host: z.boolean().optional(),
  attendees: z
    .array(z.object({ email: z.email(), absent: z.boolean() }))
    .min(1)
    .optional(),
});
const updateEventTypeInput = z.object({
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  lengthInMinutes: z.number().int().min(1).optional(),
  hidden: z.boolean().optional(),
});

type UidParams = { Params: { uid: string } };

/**
 * The API v2 writes calsync makes (`bookings.controller.ts` 2024-08-13, event types 2024-06-14): each answers 200
 * `{status:"success", data}` with the resource as it now is; booking writes queue their webhook in `store.outbox`.
 */
export function registerV2WriteRoutes(app: FastifyInstance, store: SimStore) {
  app.post<UidParams>('/v2/bookings/:uid/confirm', async (request) => {
    requireApiVersion(request, 'bookings');
    return { status: 'success', data: toV2Booking(store.confirmBooking(request.params.uid).booking) };
  });

  app.post<UidParams>('/v2/bookings/:uid/decline', async (request) => {
    requireApiVersion(request, 'bookings');
    const { reason } = declineInput.parse(request.body ?? {});
    return { status: 'success', data: toV2Booking(store.declineBooking(request.params.uid, reason).booking) };
  });

  app.post<UidParams>('/v2/bookings/:uid/cancel', async (request) => {
    requireApiVersion(request, 'bookings');
    const { cancellationReason } = cancelInput.parse(request.body ?? {});
    const change = store.cancelBookingByHost(request.params.uid, cancellationReason);
    return { status: 'success', data: toV2Booking(change.booking) };
  });

  app.post<UidParams>('/v2/bookings/:uid/mark-absent', async (request) => {
    requireApiVersion(request, 'bookings');
    const body = markAbsentInput.parse(request.body ?? {});
    const change = store.markAbsent(request.params.uid, body);
    return { status: 'success', data: toV2Booking(change.booking) };
  });

  app.patch<{ Params: { id: string } }>('/v2/event-types/:id', async (request) => {
    requireApiVersion(request, 'eventTypes');
    const patch = updateEventTypeInput.parse(request.body ?? {});
    const eventType = store.updateEventType(Number(request.params.id), patch);
    return { status: 'success', data: toV2EventType(eventType, simOrganizer.id) };
  });
}
