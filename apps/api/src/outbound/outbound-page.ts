import { HttpError } from '@calsync/service-kit';
import { outbound } from '@calsync/worker';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken } from '../dashboard/csrf-token.ts';
import { html, type SafeHtml } from '../dashboard/html.ts';
import { page } from '../dashboard/views/layout.ts';
import { loginPage } from '../dashboard/views/login.ts';
import { addEndpoint, requireEndpoint, retry } from './endpoint-actions.ts';
import { deliveriesBody, secretNotice, WEBHOOKS_PAGE, webhooksBody } from './outbound-view.ts';

type Params = { id: string };

function sendHtml(reply: FastifyReply, body: string, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/**
 * `/admin/calendar/webhooks`: the "Webhooks out" page. Registered inside the dashboard plugin, whose session, CSRF
 * protection and security headers it shares. A new or rotated secret is rendered in the answer to the POST itself
 * (never stored for a later page), so it is shown exactly once.
 */
export function registerOutboundPage(app: FastifyInstance, allowPrivate: boolean) {
  const { db } = app.resources;
  const session = (request: FastifyRequest, reply: FastifyReply) => ({
    csrfToken: csrfToken(request, reply),
    active: 'webhooks' as const,
  });
  async function listPage(request: FastifyRequest, reply: FastifyReply, notice?: SafeHtml, status = 200) {
    const s = session(request, reply);
    const body = webhooksBody({ endpoints: await outbound.listEndpoints(db), csrfToken: s.csrfToken, notice });
    return sendHtml(reply, page({ title: 'Webhooks out', body, session: s }), status);
  }
  const guarded = { preHandler: app.csrfProtection };
  const loginInstead = (request: FastifyRequest, reply: FastifyReply) =>
    sendHtml(reply, loginPage({ csrfToken: csrfToken(request, reply), next: request.url }), 401);

  app.get(WEBHOOKS_PAGE, async (request, reply) => {
    if (!request.dashboardSession) return loginInstead(request, reply);
    return listPage(request, reply);
  });

  app.post(WEBHOOKS_PAGE, guarded, async (request, reply) => {
    if (!request.dashboardSession) return loginInstead(request, reply);
    const form = (request.body ?? {}) as Record<string, unknown>;
    const types = form.types === undefined ? [] : [form.types].flat();
    try {
      const endpoint = await addEndpoint(db, { url: form.url, types }, allowPrivate);
      return listPage(request, reply, secretNotice(endpoint, endpoint.secret), 201);
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode !== 400) throw error;
      return listPage(request, reply, html`<p class="notice error" role="alert">${error.message}</p>`, 400);
    }
  });

  app.post<{ Params: Params & { action: string } }>(`${WEBHOOKS_PAGE}/:id/:action`, guarded, async (request, reply) => {
    if (!request.dashboardSession) return loginInstead(request, reply);
    const { id, action } = request.params;
    await requireEndpoint(db, id);
    if (action === 'rotate') {
      const rotated = (await outbound.rotateEndpointSecret(db, id))!;
      return listPage(request, reply, secretNotice(rotated, rotated.secret));
    }
    if (action === 'pause' || action === 'resume') await outbound.setEndpointPaused(db, id, action === 'pause');
    else if (action === 'delete') await outbound.deleteEndpoint(db, id);
    else throw new HttpError('not_found', `no action ${action}`);
    return reply.status(303).header('location', WEBHOOKS_PAGE).send();
  });

  app.get<{ Params: Params }>(`${WEBHOOKS_PAGE}/:id`, async (request, reply) => {
    if (!request.dashboardSession) return loginInstead(request, reply);
    const endpoint = await requireEndpoint(db, request.params.id);
    const s = session(request, reply);
    const retried = (request.query as Record<string, unknown>)?.retried !== undefined;
    const body = deliveriesBody({
      endpoint,
      deliveries: await outbound.listDeliveries(db, endpoint.id),
      csrfToken: s.csrfToken,
      notice: retried ? 'The delivery is queued again: the worker sends it within seconds.' : undefined,
    });
    return sendHtml(reply, page({ title: 'Webhooks out', body, session: s }));
  });

  app.post<{ Params: Params & { delivery: string } }>(
    `${WEBHOOKS_PAGE}/:id/deliveries/:delivery/retry`,
    guarded,
    async (request, reply) => {
      if (!request.dashboardSession) return loginInstead(request, reply);
      await retry(db, request.params.id, request.params.delivery);
      return reply.status(303).header('location', `${WEBHOOKS_PAGE}/${request.params.id}?retried=1`).send();
    },
  );
}
