import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import type { Logger } from 'pino';
import { errorHandlerPlugin } from './error-handler.ts';
import { errorBody } from './errors.ts';
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
    // Errors the router raises before any route runs (a malformed or overlong URL): the one envelope here too.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const body = tooLong
        ? errorBody('uri_too_long', 'a URL segment is too long')
        : errorBody('invalid_request', 'malformed URL');
      (reply as FastifyReply).status(tooLong ? 414 : 400).send(body);
    },
  });
  await app.register(errorHandlerPlugin);
  await app.register(resourcesPlugin, deps.resources);
  await app.register(healthPlugin, deps.health ?? {});
  return app;
}
