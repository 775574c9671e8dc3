import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Asker, bookingActionOnce, eventTypeUpdateOnce } from '../actions/action-routes.ts';
import type { BookingActionInput } from '../actions/booking-actions.ts';
import { type BookingAction, bookingActions } from '../actions/booking-rules.ts';
import type { EventTypeUpdateInput } from '../actions/event-type-actions.ts';
import { renderBookingPage } from './booking-page.ts';
import { renderEventTypesPage } from './pages.ts';
import { DASHBOARD } from './views/layout.ts';

type Form = Record<string, unknown> | undefined;

const formText = (form: Form, name: string, max: number): string | undefined => {
  const value = form?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;
};

function asker(form: Form): Asker {
  return { actor: 'dashboard-session', key: { value: form?.idempotency_key, source: 'idempotency_key' } };
}

function refusalText(body: unknown): string {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string' ? `Nothing changed: ${error.message}` : 'Nothing changed.';
}

function bookingInput(uid: string, action: BookingAction, form: Form): BookingActionInput {
  const reason = formText(form, 'reason', 2000);
  const attendee = formText(form, 'attendee', 320);
  if (action === 'mark-absent') {
    if (!attendee) throw new HttpError('invalid_request', 'attendee: choose who did not come');
    return { action, uid, attendees: [{ email: attendee, absent: true }] };
  }
  return { action, uid, ...(reason === undefined ? {} : { reason }) };
}

function eventTypeInput(id: string, form: Form): EventTypeUpdateInput {
  const hidden = form?.hidden === 'true' ? true : form?.hidden === 'false' ? false : undefined;
  if (hidden !== undefined) return { id, hidden };
  const title = formText(form, 'title', 500);
  const description = typeof form?.description === 'string' ? form.description.slice(0, 10_000) : undefined;
  const length = Number(formText(form, 'length', 5));
  if (!title) throw new HttpError('invalid_request', 'title: must not be empty');
  if (!Number.isInteger(length) || length < 1 || length > 1_440) {
    throw new HttpError('invalid_request', 'length: expected a whole number of minutes from 1 to 1440');
  }
  return { id, title, length, ...(description === undefined ? {} : { description }) };
}

/** Runs the action; a refusal (local, Cal.com's, or a bad form) comes back as the notice to show in place. */
async function attempt(
  work: () => Promise<{ statusCode: number; body: unknown }>,
): Promise<{ ok: true } | { ok: false; status: number; text: string }> {
  try {
    const answer = await work();
    if (answer.statusCode === 200) return { ok: true };
    return { ok: false, status: answer.statusCode, text: refusalText(answer.body) };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { ok: false, status: error.statusCode, text: `Nothing changed: ${error.message}` };
  }
}

/**
 * The booking page's and event types page's forms (CSRF-checked like every dashboard POST): the same actions as the
 * API, once per form (each carries its own idempotency key), then back to the page with the result in place.
 */
export function registerManageActions(
  app: FastifyInstance,
  protectedPost: object,
  mustBeLoggedIn: (request: FastifyRequest, reply: FastifyReply) => boolean,
) {
  app.post<{ Params: { uid: string; action: string } }>(
    `${DASHBOARD}/bookings/:uid/:action`,
    protectedPost,
    async (request, reply) => {
      if (mustBeLoggedIn(request, reply)) return reply;
      const { uid } = request.params;
      const action = bookingActions.find((a) => a === request.params.action);
      if (!action) return reply.status(404).send({ error: { code: 'not_found', message: 'no such booking action' } });
      const form = request.body as Form;
      const result = await attempt(() =>
        bookingActionOnce(app.calActions, bookingInput(uid, action, form), asker(form)),
      );
      if (result.ok) {
        return reply
          .status(303)
          .header('location', `${DASHBOARD}/bookings/${encodeURIComponent(uid)}?done=${action}`)
          .send();
      }
      return renderBookingPage(app, request, reply, uid, { kind: 'refused', text: result.text }, result.status);
    },
  );

  app.post<{ Params: { id: string } }>(`${DASHBOARD}/event-types/:id`, protectedPost, async (request, reply) => {
    if (mustBeLoggedIn(request, reply)) return reply;
    const id = request.params.id;
    if (!/^[1-9]\d{0,14}$/.test(id)) {
      return reply.status(404).send({ error: { code: 'not_found', message: 'no event type with this id' } });
    }
    const form = request.body as Form;
    const result = await attempt(() => eventTypeUpdateOnce(app.calActions, eventTypeInput(id, form), asker(form)));
    if (result.ok) return reply.status(303).header('location', `${DASHBOARD}/event-types?done=${id}`).send();
    return renderEventTypesPage(app, request, reply, undefined, { kind: 'refused', text: result.text }, result.status);
  });
}
