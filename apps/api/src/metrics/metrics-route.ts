import { metricsRoutePlugin } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import { tooManyFailures } from '../auth/failure-limit.ts';
import { clientKey } from '../client-key.ts';
import type { ApiEnv } from '../env.ts';
import { createScrapeCollectors } from './collectors.ts';

export interface MetricsOptions {
  env: ApiEnv;
}

/**
 * `GET /metrics` of the api (and the all-in-one process): the process's registry plus the scrape-time gauges (queue
 * counts, bookings by status, budget), for an admin (bearer or dashboard session) or the METRICS_TOKEN bearer.
 * Needs `resourcesPlugin` and the API's `adminAccessPlugin`.
 */
export async function metricsPlugin(app: FastifyInstance, { env }: MetricsOptions) {
  const collectors = createScrapeCollectors({ ...app.resources, rateLimit: env.CAL_API_RATE_LIMIT });
  app.addHook('onClose', collectors.close);
  // The route compares the tokens itself before asking `adminAccess` (which counts the failures): a client past its
  // failed sign-ins gets 429 here, before any comparison could tell it a guess was right.
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.authorization === undefined) return;
    const retryAfterS = await app.adminAccess.failures.blockedFor(clientKey(request.ip));
    if (retryAfterS > 0) throw tooManyFailures(retryAfterS, reply);
  });
  await app.register(metricsRoutePlugin, {
    metricsToken: env.METRICS_TOKEN,
    adminToken: env.ADMIN_TOKEN,
    isAdmin: async (request) => (await app.adminAccess.verdict(request)) === 'admin',
    collect: collectors.collect,
    schema: {
      summary: 'Prometheus metrics (admin or METRICS_TOKEN bearer)',
      tags: ['operations'],
      security: [{ admin: [] }],
    },
  });
}
