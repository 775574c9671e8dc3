import type { FastifyReply, FastifyRequest } from 'fastify';

/** A CSRF token bound to the request's session (or to "anonymous" on the login page). */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({
    userInfo: request.dashboardSession ?? 'anonymous',
    secure: request.protocol === 'https',
  });
}
