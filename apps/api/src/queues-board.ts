import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { producerConnection, queueNames } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const QUEUES_BOARD = '/admin/queues';

/**
 * `/admin/queues`: Bull Board over every calsync queue, behind the same admin access as the API (bearer token or
 * the dashboard's session). A browser without access is sent to the dashboard's login page.
 * Needs `resourcesPlugin` and the API's `adminAccessPlugin`.
 */
export async function queuesBoardPlugin(app: FastifyInstance) {
  const { redisUrl, redisPrefix } = app.resources;
  const queues = Object.values(queueNames).map((name) => {
    const queue = new Queue(name, {
      prefix: redisPrefix,
      connection: producerConnection(redisUrl, { failFast: true }),
    });
    queue.on('error', () => {}); // shown as an error in the board, not an unhandled event
    return queue;
  });
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => q.close()));
  });

  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true }; // Bull Board's own UI and API, not calsync's
  });
  app.addHook('onRequest', async (request, reply) => {
    try {
      await app.requireAdmin(request, reply);
      // The board's own buttons (retry, clean, remove) cannot carry our CSRF token: a state change must come from
      // this site (or carry the bearer token), on top of the session cookie's SameSite=Strict.
      if (!['GET', 'HEAD'].includes(request.method) && !request.headers.authorization && !sameOrigin(request)) {
        throw new HttpError('forbidden', 'cross-site request refused');
      }
    } catch (error) {
      const wantsPage =
        error instanceof HttpError &&
        error.code === 'unauthorized' &&
        request.method === 'GET' &&
        String(request.headers.accept ?? '').includes('text/html');
      if (!wantsPage) throw error;
      return reply
        .status(303)
        .header('location', `/admin/calendar?next=${encodeURIComponent(QUEUES_BOARD)}`)
        .send();
    }
  });

  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'calsync queues' } },
  });
  serverAdapter.setBasePath(QUEUES_BOARD);
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUES_BOARD });
}

function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin.replace(/^https?:\/\//, '') === request.host;
}
