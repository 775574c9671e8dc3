import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditTrailOf } from '../actions/audit.ts';
import { allowedActions, type BookingAction, bookingActions } from '../actions/booking-rules.ts';
import { listNotifications } from '../notifications/notifications-sql.ts';
import { bookingRemindersSection } from '../notifications/notifications-view.ts';
import { csrfToken } from './csrf-token.ts';
import { html } from './html.ts';
import * as queries from './queries.ts';
import { bookingDetails } from './views/booking.ts';
import { auditSection, bookingActionsCard, type Notice, noticeBox } from './views/booking-actions.ts';
import { DASHBOARD, page } from './views/layout.ts';

const doneText: Record<BookingAction, string> = {
  confirm: 'Confirmed in Cal.com.',
  decline: 'Declined in Cal.com.',
  cancel: 'Cancelled in Cal.com.',
  'mark-absent': 'Marked absent in Cal.com.',
};

/** `?done=<action>` after a redirect: the result shown where the admin acted. */
export function doneNotice(done: unknown): Notice | undefined {
  const action = bookingActions.find((a) => a === done);
  return action ? { kind: 'done', text: doneText[action] } : undefined;
}

/**
 * One booking's page: details, the actions its mirrored state allows, attendees, deliveries and the audit trail.
 * `notice` shows the last action's result; `status` is the page's HTTP status (a refusal's own).
 */
export async function renderBookingPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  rawUid: string,
  notice?: Notice,
  status = 200,
) {
  const { db } = app.resources;
  const uid = rawUid.slice(0, 200);
  const [booking, attendees, timeline, audit, reminders] = await Promise.all([
    queries.bookingByUid(db, uid),
    queries.bookingAttendees(db, uid),
    queries.bookingTimeline(db, uid),
    auditTrailOf(db, uid),
    listNotifications(db, { booking: uid, limit: 50 }),
  ]);
  const token = csrfToken(request, reply);
  const session = { csrfToken: token, active: 'bookings' as const };
  const send = (body: string, code: number) => reply.status(code).type('text/html; charset=utf-8').send(body);
  if (!booking) {
    const body = html`<section class="card"><h1>No booking with uid <code>${uid}</code></h1><p><a href="${DASHBOARD}">« Bookings</a></p></section>`;
    return send(page({ title: 'Not found', body, session }), 404);
  }
  const mirrored = { status: booking.status, startTime: booking.startTime, endTime: booking.endTime };
  const manage = {
    notice: noticeBox(notice),
    actions: bookingActionsCard(booking, attendees, allowedActions(mirrored, new Date()), token),
    audit: auditSection(audit),
  };
  const body = html`${bookingDetails(booking, attendees, timeline, manage)}${bookingRemindersSection(uid, reminders)}`;
  return send(page({ title: booking.title ?? 'Booking', body, session }), status);
}
