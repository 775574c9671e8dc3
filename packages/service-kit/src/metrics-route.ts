import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { HttpError } from './errors.ts';
import { metricsRegistry } from './metrics.ts';
import { bearerToken, tokensEqual } from './tokens.ts';

export interface MetricsRouteOptions {
  /** METRICS_TOKEN: a bearer that opens /metrics only (for a Prometheus scraper). */
  metricsToken?: string;
  /** ADMIN_TOKEN: opens /metrics too. */
  adminToken?: string;
  /** Another way in, tried after the tokens (the api's dashboard session). */
  isAdmin?: (request: FastifyRequest) => Promise<boolean>;
  /** Fills the scrape-time gauges before each scrape; returns what it could not collect (logged, not fatal). */
  collect?: () => Promise<string[]>;
  /** The route's schema (the api passes its OpenAPI description). */
  schema?: FastifySchema;
}

/**
 * `GET /metrics`: this process's Prometheus registry, for the METRICS_TOKEN or ADMIN_TOKEN bearer; 503 when neither
 * is set (never open), 401 otherwise. The all-in-one process and the api serve it on their port, ingest alone on
 * its port, the worker alone on METRICS_PORT: each process counts its own deliveries, jobs and requests.
 */
export async function metricsRoutePlugin(app: FastifyInstance, options: MetricsRouteOptions) {
  const { metricsToken, adminToken, isAdmin, collect, schema } = options;

  async function requireMetricsAccess(request: FastifyRequest) {
    if (metricsToken === undefined && adminToken === undefined) {
      throw new HttpError('admin_not_configured', 'metrics are closed: set METRICS_TOKEN or ADMIN_TOKEN to open them');
    }
    const token = bearerToken(request);
    if (token !== undefined) {
      if (metricsToken !== undefined && tokensEqual(token, metricsToken)) return;
      if (adminToken !== undefined && tokensEqual(token, adminToken)) return;
    }
    if (isAdmin && (await isAdmin(request))) return;
    throw new HttpError('unauthorized', 'metrics credentials required (Authorization: Bearer <METRICS_TOKEN>)');
  }

  app.get('/metrics', { preHandler: requireMetricsAccess, ...(schema ? { schema } : {}) }, async (request, reply) => {
    const failures = collect ? await collect() : [];
    if (failures.length > 0) request.log.warn({ failures }, 'some scrape-time metrics could not be collected');
    return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}
