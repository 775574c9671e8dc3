import { getSyncRun } from '@calsync/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { decodeCursor } from '../bookings/cursor.ts';
import { isBookingStatus, listBookings } from '../bookings/list-bookings.ts';
import type { ApiEnv } from '../env.ts';
import { doneNotice, renderBookingPage } from './booking-page.ts';
import { csrfToken } from './csrf-token.ts';
import { loadHealthSummary } from './health-summary.ts';
import { html } from './html.ts';
import * as queries from './queries.ts';
import { safeNext } from './session.ts';
import { type Notice, noticeBox } from './views/booking-actions.ts';
import { type BookingsQuery, bookingsSection } from './views/bookings.ts';
import { healthStrip, syncPanel } from './views/health-strip.ts';
import { DASHBOARD, page } from './views/layout.ts';
import { deliveriesSection, eventTypesSection } from './views/lists.ts';
import { loginPage } from './views/login.ts';

const PAGE_SIZE = 50;
/** A real calendar date (`2026-02-30` is refused, not rolled over). */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const ms = Date.parse(`${v}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(v);
  });

// Form values arrive as strings; anything odd is dropped rather than failing the whole page.
const bookingsQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.string().refine(isBookingStatus).optional().catch(undefined),
  from: calendarDate.optional().catch(undefined),
  to: calendarDate.optional().catch(undefined),
  event_type: z
    .string()
    .regex(/^[\w-]{1,100}$/)
    .optional()
    .catch(undefined),
  cursor: z.string().max(400).optional().catch(undefined),
  run: z.uuid().optional().catch(undefined),
});

/** A mangled cursor in a bookmarked URL shows the first page instead of an error. */
function cursorOrFirstPage(value: string) {
  try {
    return decodeCursor(value);
  } catch {
    return undefined;
  }
}

export function sendHtml(reply: FastifyReply, body: string, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** Without a session: the login page and nothing else (401 except on the dashboard's front door). */
function loginInstead(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0] ?? DASHBOARD;
  const asked = (request.query as Record<string, unknown> | undefined)?.next;
  const next = path !== DASHBOARD ? request.url : asked ? safeNext(asked) : undefined;
  return sendHtml(reply, loginPage({ csrfToken: csrfToken(request, reply), next }), path === DASHBOARD ? 200 : 401);
}

/** Renders the event types page (also after a refused change, with its notice). */
export async function renderEventTypesPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  health: (() => ReturnType<typeof loadHealthSummary>) | undefined,
  notice?: Notice,
  status = 200,
) {
  const token = csrfToken(request, reply);
  const types = await queries.eventTypes(app.resources.db);
  const strip = health ? healthStrip(await health()) : '';
  const body = html`${noticeBox(notice)}${strip}${eventTypesSection(types, token)}`;
  return sendHtml(
    reply,
    page({ title: 'Event types', body, session: { csrfToken: token, active: 'event-types' } }),
    status,
  );
}

export function registerDashboardPages(app: FastifyInstance, env: ApiEnv) {
  const { db, redis, redisPrefix } = app.resources;
  const health = () => loadHealthSummary({ db, redis, redisPrefix, rateLimit: env.CAL_API_RATE_LIMIT });

  app.get(DASHBOARD, async (request, reply) => {
    if (!request.dashboardSession) return loginInstead(request, reply);
    const raw = (request.query ?? {}) as Record<string, unknown>;
    // A first visit starts at today's bookings; "Clear" sends `from=` (empty), which means no lower bound.
    const query = bookingsQuery.parse('from' in raw ? raw : { ...raw, from: new Date().toISOString().slice(0, 10) });
    const filters = {
      statuses: query.status && isBookingStatus(query.status) ? [query.status] : undefined,
      from: query.from ? `${query.from}T00:00:00Z` : undefined,
      to: query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000).toISOString() : undefined,
      eventType: query.event_type,
      q: query.q || undefined,
      limit: PAGE_SIZE,
      cursor: query.cursor ? cursorOrFirstPage(query.cursor) : undefined,
    };
    const [summary, types, bookings, active, asked, recent] = await Promise.all([
      health(),
      queries.eventTypes(db),
      listBookings(db, filters),
      queries.activeRuns(db),
      query.run ? getSyncRun(db, query.run) : undefined,
      queries.recentRuns(db, 3),
    ]);
    // The run just asked for, those still going, then the latest finished ones (their errors matter too).
    const runs = [...(asked ? [asked] : []), ...active, ...recent].filter(
      (run, index, all) => all.findIndex((r) => r.id === run.id) === index,
    );
    const token = csrfToken(request, reply);
    const body = html`${healthStrip(summary)}${syncPanel(token, runs)}${bookingsSection(query as BookingsQuery, types, bookings)}`;
    return sendHtml(reply, page({ title: 'Bookings', body, session: { csrfToken: token, active: 'bookings' } }));
  });

  app.get<{ Params: { uid: string }; Querystring: { done?: string } }>(
    `${DASHBOARD}/bookings/:uid`,
    async (request, reply) => {
      if (!request.dashboardSession) return loginInstead(request, reply);
      return renderBookingPage(app, request, reply, request.params.uid, doneNotice(request.query.done));
    },
  );

  app.get<{ Querystring: { done?: string } }>(`${DASHBOARD}/event-types`, async (request, reply) => {
    if (!request.dashboardSession) return loginInstead(request, reply);
    const done = /^\d{1,15}$/.test(request.query.done ?? '') ? request.query.done : undefined;
    const notice = done ? { kind: 'done' as const, text: `Event type ${done} updated in Cal.com.` } : undefined;
    return renderEventTypesPage(app, request, reply, health, notice);
  });

  app.get<{ Querystring: { replayed?: string } }>(`${DASHBOARD}/deliveries`, async (request, reply) => {
    if (!request.dashboardSession) return loginInstead(request, reply);
    const token = csrfToken(request, reply);
    const [failed, recent, unrecognized, skipped] = await Promise.all([
      queries.deliveries(db, { status: 'failed', limit: 100 }),
      queries.deliveries(db, { limit: 30 }),
      queries.unrecognizedDeliveries(db, 20),
      queries.skippedItems(db, 50),
    ]);
    const replayed = typeof request.query.replayed === 'string' ? request.query.replayed.slice(0, 20) : undefined;
    const notice = replayed ? `Replay queued (${replayed}).` : undefined;
    const body = deliveriesSection({ failed, recent, unrecognized, skipped, csrfToken: token, notice });
    return sendHtml(reply, page({ title: 'Deliveries', body, session: { csrfToken: token, active: 'deliveries' } }));
  });

  // Polled by dashboard.js while a run is active.
  app.get<{ Params: { id: string } }>(`${DASHBOARD}/runs/:id`, async (request, reply) => {
    if (!request.dashboardSession)
      return reply.status(401).send({ error: { code: 'unauthorized', message: 'log in first' } });
    const run = await getSyncRun(db, request.params.id);
    if (!run) return reply.status(404).send({ error: { code: 'not_found', message: 'no sync run with this id' } });
    return queries.runProgress(run);
  });
}
