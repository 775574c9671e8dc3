import type { FastifyInstance } from 'fastify';
import { listNotifications, parseNotificationFilter, retryNotification } from './notifications-sql.ts';

/**
 * `GET /admin/api/notifications?booking=<uid>&status=&limit=` (admin): the e-mails calsync sent or will send, as
 * README "E-mail: reminders and owner alerts" describes them; `POST /admin/api/notifications/:id/retry` puts a
 * failed one back in the queue.
 */
export async function notificationsPlugin(app: FastifyInstance) {
  const { db } = app.resources;
  app.get(
    '/admin/api/notifications',
    {
      preHandler: app.requireAdmin,
      schema: {
        summary: 'Reminders and owner e-mails (admin), newest due first; filter by booking uid and status',
        tags: ['notifications'],
        security: [{ admin: [] }],
      },
    },
    async (request) => {
      const filter = parseNotificationFilter((request.query ?? {}) as Record<string, unknown>);
      return { notifications: await listNotifications(db, filter) };
    },
  );
  app.post<{ Params: { id: string } }>(
    '/admin/api/notifications/:id/retry',
    {
      preHandler: app.requireAdminChange,
      schema: {
        summary: 'Send a failed e-mail again (admin): 409 unless it is failed',
        tags: ['notifications'],
        security: [{ admin: [] }],
      },
    },
    async (request) => ({ notification: await retryNotification(db, request.params.id) }),
  );
}
