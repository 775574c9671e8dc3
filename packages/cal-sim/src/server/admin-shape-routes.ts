import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimStore } from '../store/sim-store.ts';
import { sendDelivery } from '../webhooks/send.ts';
import type { Delivery } from '../webhooks/types.ts';
import { attendeePatch } from './admin-routes.ts';
import { toV2Booking } from './v2-shapes.ts';
import { toV2TeamEventType } from './v2-team-routes.ts';

const isoString = z.iso.datetime({ offset: true });
/** Optional on every route below: also send the deliveries, signed, to this receiver (once each, in order). */
const sendTo = {
  targetUrl: z.url().optional(),
  secret: z.string().nullable().default(null),
};
const seatBody = z.object({ attendee: attendeePatch, ...sendTo }).strict();
const cancelSeatBody = z.object({ reason: z.string().optional(), ...sendTo }).strict();
const moveSeatBody = z.object({ start: isoString, ...sendTo }).strict();
const recurringBody = z
  .object({
    start: isoString,
    count: z.number().int().min(2).max(52),
    intervalDays: z.number().int().min(1).optional(),
    eventTypeId: z.number().int().optional(),
    attendee: attendeePatch.optional(),
    ...sendTo,
  })
  .strict();
const instantBody = z
  .object({ eventTypeId: z.number().int().optional(), attendee: attendeePatch.optional(), ...sendTo })
  .strict();
const absentHostBody = z.object({ absent: z.boolean().default(true) }).strict();
const teamEventTypeBody = z
  .object({
    title: z.string().min(1),
    slug: z.string().min(1).optional(),
    lengthInMinutes: z.number().int().min(1).optional(),
    schedulingType: z.enum(['ROUND_ROBIN', 'COLLECTIVE']).default('ROUND_ROBIN'),
    hidden: z.boolean().optional(),
  })
  .strict();

const intParam = (name: string, raw: string) => {
  if (!/^\d+$/.test(raw))
    throw new z.ZodError([{ code: 'custom', path: [name], message: 'must be an integer', input: raw }]);
  return Number(raw);
};

/** What a route answers about deliveries: their exact bytes (and the receiver's answers when it sent them). */
async function deliveriesAnswer(
  deliveries: Delivery[],
  options: { targetUrl?: string | undefined; secret: string | null },
) {
  const shown = deliveries.map(({ triggerEvent, createdAt, uid, rawBody, body }) => ({
    triggerEvent,
    createdAt,
    uid,
    rawBody,
    body,
  }));
  if (!options.targetUrl) return { deliveries: shown };
  const answers = [];
  for (const delivery of deliveries) answers.push(await sendDelivery(options.targetUrl, delivery, options.secret));
  return { deliveries: shown, answers };
}

/**
 * `/_sim/…` routes for the shapes real accounts produce: seats, recurring series, instant meetings, the host's
 * no-show and team event types. Each changes the account as Cal.com would and answers the booking(s) as API v2
 * renders them plus the deliveries Cal.com would send (`targetUrl` also sends them).
 */
export function registerAdminShapeRoutes(app: FastifyInstance, store: SimStore) {
  app.post<{ Params: { uid: string } }>('/_sim/bookings/:uid/seats', async (request, reply) => {
    const { attendee, ...send } = seatBody.parse(request.body ?? {});
    const change = store.addSeat(request.params.uid, attendee);
    const answer = await deliveriesAnswer(change.deliveries, send);
    return reply.code(201).send({ data: toV2Booking(change.booking), seatUid: change.seatUid, ...answer });
  });
  app.post<{ Params: { uid: string; seatUid: string } }>(
    '/_sim/bookings/:uid/seats/:seatUid/cancel',
    async (request) => {
      const { reason, ...send } = cancelSeatBody.parse(request.body ?? {});
      const change = store.cancelSeat(request.params.uid, request.params.seatUid, reason);
      return { data: toV2Booking(change.booking), ...(await deliveriesAnswer(change.deliveries, send)) };
    },
  );
  app.post<{ Params: { uid: string; seatUid: string } }>('/_sim/bookings/:uid/seats/:seatUid/move', async (request) => {
    const { start, ...send } = moveSeatBody.parse(request.body ?? {});
    const change = store.moveSeat(request.params.uid, request.params.seatUid, start);
    return {
      data: toV2Booking(change.booking),
      previous: toV2Booking(change.previous),
      ...(await deliveriesAnswer(change.deliveries, send)),
    };
  });
  app.post('/_sim/recurring-series', async (request, reply) => {
    const { targetUrl, secret, attendee, eventTypeId, intervalDays, ...series } = recurringBody.parse(
      request.body ?? {},
    );
    const change = store.createRecurringSeries({
      ...series,
      ...(attendee ? { attendee } : {}),
      ...(eventTypeId !== undefined ? { eventTypeId } : {}),
      ...(intervalDays !== undefined ? { intervalDays } : {}),
    });
    const answer = await deliveriesAnswer(change.deliveries, { targetUrl, secret });
    return reply.code(201).send({ data: change.bookings.map(toV2Booking), ...answer });
  });
  app.post<{ Params: { uid: string } }>('/_sim/bookings/:uid/cancel-remaining', async (request) => {
    const { reason, ...send } = cancelSeatBody.parse(request.body ?? {});
    const change = store.cancelRemainingOccurrences(request.params.uid, reason);
    return { data: change.bookings.map(toV2Booking), ...(await deliveriesAnswer(change.deliveries, send)) };
  });
  app.post('/_sim/instant-meetings', async (request, reply) => {
    const { targetUrl, secret, attendee, eventTypeId } = instantBody.parse(request.body ?? {});
    const change = store.createInstantMeeting({
      ...(attendee ? { attendee } : {}),
      ...(eventTypeId !== undefined ? { eventTypeId } : {}),
    });
    const answer = await deliveriesAnswer(change.deliveries, { targetUrl, secret });
    return reply.code(201).send({ data: toV2Booking(change.booking), ...answer });
  });
  app.post<{ Params: { uid: string } }>('/_sim/bookings/:uid/absent-host', async (request) => {
    const { absent } = absentHostBody.parse(request.body ?? {});
    return { data: toV2Booking(store.markHostAbsent(request.params.uid, absent).booking), deliveries: [] };
  });
  app.post<{ Params: { teamId: string } }>('/_sim/teams/:teamId/event-types', async (request, reply) => {
    const teamId = intParam('teamId', request.params.teamId);
    const eventType = store.teams.createEventType(teamId, teamEventTypeBody.parse(request.body ?? {}));
    return reply.code(201).send({ data: toV2TeamEventType(eventType, store.teams.team(teamId)!) });
  });
  app.delete<{ Params: { teamId: string; id: string } }>(
    '/_sim/teams/:teamId/event-types/:id',
    async (request, reply) => {
      store.teams.deleteEventType(intParam('teamId', request.params.teamId), intParam('id', request.params.id));
      return reply.code(204).send();
    },
  );
}
