import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseParams } from '../routes/function-route.ts';
import { calId, oneOf, text, wholeNumber } from '../routes/params.ts';
import { type ActionContext, actorOf } from './action-context.ts';
import { type BookingActionInput, performBookingAction } from './booking-actions.ts';
import { bookingActions } from './booking-rules.ts';
import { type EventTypeUpdateInput, performEventTypeUpdate } from './event-type-actions.ts';
import { idempotencyKey, runOnce, type StoredAnswer } from './idempotency.ts';

const flag = z.boolean({ error: 'expected true or false' });
const attendeeMark = z.object({
  email: z.email({ error: 'expected an e-mail address' }),
  absent: flag,
});

/** `POST /cal-bookings` with an action: the JSON body as `supabase.functions.invoke` sends it. */
export const bookingActionParams = z.object({
  action: oneOf(bookingActions),
  uid: text(200).refine((uid) => uid.length > 0, 'required: the booking uid'),
  reason: text(2000).optional(),
  host: flag.optional(),
  attendees: z.array(attendeeMark).min(1, 'expected at least one {email, absent}').max(100).optional(),
});

/** `POST /cal-event-types {"action":"update", …}`: what Cal.com's update input accepts, and no price. */
export const eventTypeUpdateParams = z
  .object({
    action: oneOf(['update'] as const),
    id: calId,
    title: text(500)
      .refine((title) => title.trim() !== '', 'must not be empty')
      .optional(),
    description: text(10_000).optional(),
    length: wholeNumber(1, 1_440).optional(),
    hidden: flag.optional(),
    price: z
      .unknown()
      .refine(() => false, "Cal.com's event type update has no price field: change prices in Cal.com")
      .optional(),
  })
  .refine((p) => [p.title, p.description, p.length, p.hidden].some((v) => v !== undefined), {
    message: 'give at least one of title, description, length, hidden',
    path: ['title'],
  });

/** A change is asked by POST (a GET must never change anything in Cal.com) with its JSON body. */
function actionBody(request: FastifyRequest): Record<string, unknown> {
  if (request.method !== 'POST') {
    throw new HttpError('method_not_allowed', 'actions that change Cal.com are sent by POST with a JSON body');
  }
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError('invalid_request', 'the JSON body must be an object of parameters');
  }
  return body as Record<string, unknown>;
}

/** Who asks and with which key of their own (a header, a form field), if any. */
export interface Asker {
  actor: string;
  key?: { value: unknown; source: string };
}

async function once(
  context: ActionContext,
  asker: Asker,
  what: Record<string, unknown>,
  perform: (who: { actor: string; idempotencyKey: string }) => Promise<StoredAnswer>,
) {
  const key = idempotencyKey(context.redisPrefix, asker.key?.value, what, asker.key?.source);
  return runOnce(context.redis, key, () => perform({ actor: asker.actor, idempotencyKey: key.label }));
}

/** A booking action, once per idempotency key: the API route and the dashboard's forms both come here. */
export function bookingActionOnce(context: ActionContext, input: BookingActionInput, asker: Asker) {
  return once(context, asker, { ...input }, (who) => performBookingAction(context, input, who));
}

/** An event type update, once per idempotency key. */
export function eventTypeUpdateOnce(context: ActionContext, input: EventTypeUpdateInput, asker: Asker) {
  return once(context, asker, { update: input }, (who) => performEventTypeUpdate(context, input, who));
}

async function apiAsker(app: FastifyInstance, request: FastifyRequest): Promise<Asker> {
  const header = request.headers['idempotency-key'];
  return {
    actor: await actorOf(app, request),
    ...(header === undefined ? {} : { key: { value: header, source: 'Idempotency-Key' } }),
  };
}

function send(reply: FastifyReply, answer: StoredAnswer & { replayed: boolean }) {
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(answer.statusCode).send(answer.body);
}

/** `POST /cal-bookings {"action":"cancel"|"confirm"|"decline"|"mark-absent","uid",…}` (admin). */
export async function answerBookingAction(
  app: FastifyInstance,
  context: ActionContext,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  // Credentials first: a stranger learns nothing from a 400.
  await app.requireAdminChange(request, reply);
  const input: BookingActionInput = parseParams(bookingActionParams, actionBody(request));
  return send(reply, await bookingActionOnce(context, input, await apiAsker(app, request)));
}

/** `POST /cal-event-types {"action":"update","id",…}` (admin). */
export async function answerEventTypeUpdate(
  app: FastifyInstance,
  context: ActionContext,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  await app.requireAdminChange(request, reply);
  const { action: _update, price: _price, ...input } = parseParams(eventTypeUpdateParams, actionBody(request));
  return send(reply, await eventTypeUpdateOnce(context, input, await apiAsker(app, request)));
}
