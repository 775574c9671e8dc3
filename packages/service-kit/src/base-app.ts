import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { errorHandlerPlugin } from './error-handler.ts';
import { type HealthOptions, healthPlugin } from './health.ts';
import { type Resources, resourcesPlugin } from './resources.ts';

export interface BaseAppDeps {
  logger: Logger;
  resources: Resources;
  health?: HealthOptions;
}

/**
 * A Fastify instance with calsync's error envelope, shared resources and /healthz + /readyz.
 * No side effects: it neither listens nor opens connections. Apps register their routes on it.
 */
export async function buildBaseApp(deps: BaseAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One log line per request would dominate the webhook hot path; errors are still logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true },
  });
  await app.register(errorHandlerPlugin);
  await app.register(resourcesPlugin, deps.resources);
  await app.register(healthPlugin, deps.health ?? {});
  return app;
}
