import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import { bookingWithTimeline } from '../bookings/booking-timeline.ts';
import { functionPrefixes } from './function-route.ts';

/** `GET /cal-bookings/:uid` (admin): one booking and its timeline of stored deliveries. */
export function registerCalBookingByUid(app: FastifyInstance) {
  for (const prefix of functionPrefixes) {
    app.get<{ Params: { uid: string } }>(
      `${prefix}/cal-bookings/:uid`,
      {
        preHandler: app.requireAdmin,
        schema: {
          summary: 'One booking by its Cal.com uid, with every stored webhook delivery about it (admin)',
          tags: ['bookings'],
          security: [{ admin: [] }],
          params: {
            type: 'object',
            properties: { uid: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]+$' } },
            required: ['uid'],
          },
        },
      },
      async (request) => {
        const found = await bookingWithTimeline(app.resources.db, request.params.uid);
        if (!found) throw new HttpError('not_found', 'no booking with this uid');
        return found;
      },
    );
  }
}
