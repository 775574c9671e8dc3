import { type BookingStatus, bookingStatuses } from '@calsync/db';
import type { SyncQueue } from '@calsync/jobs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ActionContext } from '../actions/action-context.ts';
import { answerBookingAction } from '../actions/action-routes.ts';
import { bookingActions } from '../actions/booking-rules.ts';
import { decodeCursor } from '../bookings/cursor.ts';
import { isBookingStatus, listBookings } from '../bookings/list-bookings.ts';
import { registerFunction } from './function-route.ts';
import { type DateOrInstant, dateOrInstant, oneOf, text, utcMidnight, wholeNumber } from './params.ts';
import { answerSyncRequest } from './sync-action.ts';

const DAY_MS = 86_400_000;
const LAST_ISO_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** One status, a comma list of them, or (a repeated query key, a JSON array) a list of those. */
const statusList = z
  .unknown()
  .transform((value, ctx): BookingStatus[] => {
    const expected = `one of ${bookingStatuses.join(', ')}, or a comma list of them`;
    const items: unknown = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(items) || items.length > 20 || !items.every((i) => typeof i === 'string' && i.length <= 200)) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}` });
      return z.NEVER;
    }
    const statuses = (items as string[]).flatMap((i) => i.split(',')).map((s) => s.trim());
    const bad = statuses.find((s) => !isBookingStatus(s));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad.slice(0, 40)}" is not ${expected}` });
      return z.NEVER;
    }
    return [...new Set(statuses)] as BookingStatus[];
  })
  .meta({ type: 'string', description: `one of ${bookingStatuses.join(', ')}, or a comma list` });

export const bookingsParams = z.object({
  action: oneOf(['sync', ...bookingActions] as const).optional(),
  status: statusList.optional(),
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  event_type: text(200).optional(),
  q: text(200).optional(),
  limit: wholeNumber(1, 500).optional(),
  cursor: text(400).optional(),
});

/** A date means its whole UTC day: `from` its start, `to` its end. */
function bound(value: DateOrInstant | undefined, edge: 'from' | 'to'): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'instant') return value.iso;
  const ms = utcMidnight(value.date) + (edge === 'to' ? DAY_MS : 0);
  // The end of 9999-12-31 is year 10000, which toISOString writes as `+010000-…` (PostgreSQL refuses it): no bound.
  return ms > LAST_ISO_MS ? 'infinity' : new Date(ms).toISOString();
}

/**
 * `cal-bookings` (admin): the bookings, filtered and keyset-paginated; `action=sync` queues a bookings sync; POST with
 * `action` confirm, decline, cancel or mark-absent changes the booking in Cal.com (see `answerBookingAction`).
 */
export function registerCalBookings(app: FastifyInstance, syncQueue: () => SyncQueue, actions: ActionContext) {
  registerFunction(app, {
    name: 'cal-bookings',
    params: bookingsParams,
    summary:
      'Bookings (admin): filters status, from, to, event_type, q, limit, cursor; action=sync queues a sync; POST action=confirm|decline|cancel|mark-absent with uid (reason, attendees, host) changes it in Cal.com',
    tags: ['bookings'],
    preHandler: app.requireAdmin,
    handler: async (params, request, reply) => {
      if (params.action === 'sync') return answerSyncRequest(app, syncQueue, 'bookings_sync', request, reply);
      if (params.action !== undefined) return answerBookingAction(app, actions, request, reply);
      return listBookings(app.resources.db, {
        statuses: params.status,
        from: bound(params.from, 'from'),
        to: bound(params.to, 'to'),
        eventType: params.event_type,
        q: params.q,
        limit: params.limit ?? 50,
        cursor: params.cursor === undefined ? undefined : decodeCursor(params.cursor),
      });
    },
  });
}
