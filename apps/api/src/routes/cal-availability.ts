import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type AvailabilityDeps, getAvailability } from '../availability/availability.ts';
import { isTimeZone } from '../availability/time-zone.ts';
import { clientKey } from '../client-key.ts';
import { registerFunction } from './function-route.ts';
import { calId, dateOrInstant, text } from './params.ts';
import type { PublicRateLimit } from './public-rate-limit.ts';

const timeZone = text(64)
  .refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin')
  .meta({ type: 'string', description: 'IANA time zone, e.g. Europe/Berlin (default UTC)' });

export const availabilityParams = z.object({
  eventTypeId: calId,
  dateFrom: dateOrInstant,
  dateTo: dateOrInstant,
  timeZone: timeZone.optional(),
});

/** `cal-availability` (public): free slots and ranges from Cal.com, busy times from calsync's bookings. */
export function registerCalAvailability(app: FastifyInstance, deps: AvailabilityDeps, rateLimit: PublicRateLimit) {
  registerFunction(app, {
    name: 'cal-availability',
    params: availabilityParams,
    summary: 'Availability of an event type: busy (calsync bookings), dateRanges (merged free ranges), slots per day',
    tags: ['availability'],
    rateLimit,
    handler: async (params, request, reply) => {
      try {
        return await getAvailability(deps, params, clientKey(request.ip));
      } catch (error) {
        // Anything that is not a deliberate answer is Redis or PostgreSQL failing under us: a retryable 503.
        if (!(error instanceof HttpError)) {
          throw new HttpError('service_unavailable', 'availability is unavailable right now; try again shortly', {
            cause: error,
          });
        }
        const retryAfter = error.details?.retry_after;
        if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
        throw error;
      }
    },
  });
}
