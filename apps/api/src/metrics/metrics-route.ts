import { HttpError, metricsRegistry } from '@calsync/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, tokensEqual } from '../auth/admin-access.ts';
import type { ApiEnv } from '../env.ts';
import { createScrapeCollectors } from './collectors.ts';

export interface MetricsOptions {
  env: ApiEnv;
}

/**
 * `GET /metrics`: Prometheus text format, for an admin (bearer or dashboard session) or the METRICS_TOKEN bearer.
 * Needs `resourcesPlugin` and the API's `adminAccessPlugin`.
 */
export async function metricsPlugin(app: FastifyInstance, { env }: MetricsOptions) {
  const collectors = createScrapeCollectors({ ...app.resources, rateLimit: env.CAL_API_RATE_LIMIT });
  app.addHook('onClose', collectors.close);

  async function requireMetricsAccess(request: FastifyRequest) {
    const token = bearerToken(request);
    if (env.METRICS_TOKEN && token !== undefined && tokensEqual(token, env.METRICS_TOKEN)) return;
    if (env.METRICS_TOKEN && env.ADMIN_TOKEN === undefined) {
      throw new HttpError('unauthorized', 'metrics credentials required (Authorization: Bearer <METRICS_TOKEN>)');
    }
    if (env.ADMIN_TOKEN === undefined) {
      throw new HttpError('admin_not_configured', 'metrics are closed: set METRICS_TOKEN or ADMIN_TOKEN to open them');
    }
    await app.requireAdmin(request);
  }

  app.get(
    '/metrics',
    {
      preHandler: requireMetricsAccess,
      schema: {
        summary: 'Prometheus metrics (admin or METRICS_TOKEN bearer)',
        tags: ['operations'],
        security: [{ admin: [] }],
      },
    },
    async (request, reply) => {
      const failures = await collectors.collect();
      if (failures.length > 0) request.log.warn({ failures }, 'some scrape-time metrics could not be collected');
      return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
    },
  );
}
