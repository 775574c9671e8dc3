import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken } from '../dashboard/csrf-token.ts';
import { page } from '../dashboard/views/layout.ts';
import { loginPage } from '../dashboard/views/login.ts';
import {
  countNotifications,
  listNotifications,
  parseNotificationFilter,
  retryNotification,
} from './notifications-sql.ts';
import { NOTIFICATIONS_PAGE, notificationsBody } from './notifications-view.ts';

function sendHtml(reply: FastifyReply, body: string, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

function loginInstead(request: FastifyRequest, reply: FastifyReply) {
  return sendHtml(reply, loginPage({ csrfToken: csrfToken(request, reply), next: request.url }), 401);
}

/**
 * `/admin/calendar/notifications`: the Notifications page and its retry button. Registered inside the dashboard
 * plugin, whose session, CSRF protection and security headers it shares.
 */
export function registerNotificationsPage(app: FastifyInstance, mailOn: boolean) {
  const { db } = app.resources;

  app.get(NOTIFICATIONS_PAGE, async (request, reply) => {
    if (!request.dashboardSession) return loginInstead(request, reply);
    const token = csrfToken(request, reply);
    const session = { csrfToken: token, active: 'notifications' as const };
    const query = (request.query ?? {}) as Record<string, unknown>;
    const retried = typeof query.retried === 'string' && /^[0-9a-f-]{36}$/.test(query.retried);
    const notice = retried ? 'The notification is queued again: the worker sends it within seconds.' : undefined;
    let filter: ReturnType<typeof parseNotificationFilter>;
    try {
      filter = parseNotificationFilter({ booking: query.booking || undefined, status: query.status });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      filter = { limit: 200 };
      const body = notificationsBody({
        mailOn,
        counts: await countNotifications(db),
        rows: [],
        filter,
        csrfToken: token,
        notice: error.message,
      });
      return sendHtml(reply, page({ title: 'Notifications', body, session }), 400);
    }
    const [counts, rows] = await Promise.all([countNotifications(db), listNotifications(db, filter)]);
    const body = notificationsBody({ mailOn, counts, rows, filter, csrfToken: token, notice });
    return sendHtml(reply, page({ title: 'Notifications', body, session }));
  });

  app.post<{ Params: { id: string } }>(
    `${NOTIFICATIONS_PAGE}/:id/retry`,
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!request.dashboardSession) return loginInstead(request, reply);
      const retried = await retryNotification(db, request.params.id);
      return reply.status(303).header('location', `${NOTIFICATIONS_PAGE}?retried=${retried.id}`).send();
    },
  );
}
