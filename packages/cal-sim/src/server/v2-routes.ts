import type { FastifyInstance } from 'fastify';
import type { SimStore } from '../store/sim-store.ts';
import { simOrganizer } from '../webhooks/make-booking.ts';
import { requireApiVersion } from './api-version.ts';
import { listBookings, type PagingTotals } from './list-bookings.ts';
import type { Query } from './query-params.ts';
import { findSlots } from './slots.ts';
import { sendV2Error } from './v2-errors.ts';
import { toV2Booking, toV2EventType } from './v2-shapes.ts';
import { registerV2TeamRoutes } from './v2-team-routes.ts';

/** The API v2 endpoints calsync uses: bookings (list, one), event types, teams, slots. Auth and limits are hooks. */
export function registerV2Routes(app: FastifyInstance, store: SimStore, pagingTotals?: PagingTotals) {
  app.get('/v2/bookings', async (request) => {
    requireApiVersion(request, 'bookings');
    const page = listBookings(store, request.query as Query, store.now().getTime(), pagingTotals);
    return { status: 'success', data: page.rows.map(toV2Booking), pagination: page.pagination };
  });

  app.get<{ Params: { uid: string } }>('/v2/bookings/:uid', async (request, reply) => {
    requireApiVersion(request, 'bookings');
    const booking = store.booking(request.params.uid);
    if (!booking) {
      return sendV2Error(
        request,
        reply,
        404,
        'NotFoundException',
        `Booking with uid=${request.params.uid} was not found`,
      );
    }
    return { status: 'success', data: toV2Booking(booking) };
  });

  app.get('/v2/event-types', async (request) => {
    requireApiVersion(request, 'eventTypes');
    return {
      status: 'success',
      data: store.eventTypes().map((eventType) => toV2EventType(eventType, simOrganizer.id)),
    };
  });

  registerV2TeamRoutes(app, store);
  app.get('/v2/slots', async (request) => {
    requireApiVersion(request, 'slots');
    return { status: 'success', data: findSlots(store, request.query as Query, store.now().getTime()) };
  });
}
