import { createHmac } from 'node:crypto';
import { tokensEqual } from '@calsync/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { deriveKey, type SessionStore, sessionOf } from './session.ts';
import { DASHBOARD } from './views/layout.ts';

/**
 * The CSRF token that lets a dashboard session change state through the API (`POST /cal-bookings` with
 * `action: "sync"`): an HMAC of the session id. Only a page of our own origin can read it, and it dies with the session.
 */
export function apiCsrfToken(store: SessionStore, sessionId: string): string {
  return createHmac('sha256', deriveKey(store.adminToken, 'api-csrf')).update(sessionId).digest('base64url');
}

/** True when the request carries a live session and that session's token (`x-csrf-token`, or `_csrf` in the body). */
export async function carriesApiCsrfToken(store: SessionStore, request: FastifyRequest): Promise<boolean> {
  const session = await sessionOf(store, request);
  if (!session) return false;
  const header = request.headers['x-csrf-token'];
  const field = (request.body as { _csrf?: unknown } | null | undefined)?._csrf;
  const presented = typeof header === 'string' ? header : typeof field === 'string' ? field : undefined;
  return presented !== undefined && tokensEqual(presented, apiCsrfToken(store, session));
}

/** `GET /admin/calendar/csrf-token`: the session's API token, for same-origin scripts. */
export function registerApiCsrfRoute(app: FastifyInstance, store: SessionStore) {
  app.get(`${DASHBOARD}/csrf-token`, async (request, reply) => {
    if (!request.dashboardSession) {
      return reply.status(401).send({ error: { code: 'unauthorized', message: 'log in first' } });
    }
    return { csrf_token: apiCsrfToken(store, request.dashboardSession) };
  });
}
