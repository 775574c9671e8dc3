import { HttpError } from '@calsync/service-kit';
import { outbound } from '@calsync/worker';
import type { FastifyInstance } from 'fastify';
import { addEndpoint, requireEndpoint, retry } from './endpoint-actions.ts';

export interface OutboundOptions {
  /** OUTBOUND_ALLOW_PRIVATE: endpoints on loopback or private addresses are accepted. */
  allowPrivate: boolean;
}

const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'];

/**
 * `/admin/api/endpoints…` (admin): the outbound webhook endpoints (CONTRACT), their deliveries and retries, plus
 * pause, resume and secret rotation. The worker's dispatcher does the sending.
 */
export async function outboundPlugin(app: FastifyInstance, { allowPrivate }: OutboundOptions) {
  const { db } = app.resources;
  const admin = { preHandler: app.requireAdmin };
  const change = { preHandler: app.requireAdminChange };
  const doc = (summary: string) => ({ schema: { summary, tags: ['outbound webhooks'], security: [{ admin: [] }] } });

  app.post(
    '/admin/api/endpoints',
    { ...change, ...doc('Add an endpoint; its secret is shown only here') },
    async (request, reply) => {
      const endpoint = await addEndpoint(db, request.body, allowPrivate);
      return reply.status(201).send({ endpoint });
    },
  );
  app.get('/admin/api/endpoints', { ...admin, ...doc('The endpoints (without secrets)') }, async () => ({
    endpoints: await outbound.listEndpoints(db),
  }));
  app.delete<{ Params: { id: string } }>(
    '/admin/api/endpoints/:id',
    { ...change, ...doc('Delete an endpoint and its deliveries') },
    async (request, reply) => {
      if (!(await outbound.deleteEndpoint(db, request.params.id))) {
        throw new HttpError('not_found', `no endpoint ${request.params.id}`);
      }
      return reply.status(204).send();
    },
  );
  app.post<{ Params: { id: string; action: string } }>(
    '/admin/api/endpoints/:id/:action',
    { ...change, ...doc('pause, resume or rotate-secret (the new secret is shown only here)') },
    async (request) => {
      const { id, action } = request.params;
      if (action === 'rotate-secret') {
        const rotated = await outbound.rotateEndpointSecret(db, id);
        if (!rotated) throw new HttpError('not_found', `no endpoint ${id}`);
        return { endpoint: rotated };
      }
      if (action !== 'pause' && action !== 'resume') {
        throw new HttpError('not_found', `no action ${action}: use pause, resume or rotate-secret`);
      }
      const endpoint = await outbound.setEndpointPaused(db, id, action === 'pause');
      if (!endpoint) throw new HttpError('not_found', `no endpoint ${id}`);
      return { endpoint };
    },
  );
  app.get<{ Params: { id: string }; Querystring: { status?: string; limit?: string } }>(
    '/admin/api/endpoints/:id/deliveries',
    { ...admin, ...doc("An endpoint's deliveries, newest first: status, attempts, next try, each try's response") },
    async (request) => {
      await requireEndpoint(db, request.params.id);
      const { status, limit } = request.query ?? {};
      if (status !== undefined && !DELIVERY_STATUSES.includes(status)) {
        throw new HttpError('invalid_request', `status must be one of ${DELIVERY_STATUSES.join(', ')}`);
      }
      const n = limit === undefined ? 100 : Number(limit);
      if (!Number.isInteger(n) || n < 1 || n > 500) {
        throw new HttpError('invalid_request', 'limit must be a whole number from 1 to 500');
      }
      return { deliveries: await outbound.listDeliveries(db, request.params.id, { status, limit: n }) };
    },
  );
  app.post<{ Params: { id: string; delivery: string } }>(
    '/admin/api/endpoints/:id/deliveries/:delivery/retry',
    { ...change, ...doc('Send a failed delivery again') },
    async (request, reply) => {
      const delivery = await retry(db, request.params.id, request.params.delivery);
      return reply.status(202).send({ delivery });
    },
  );
}
