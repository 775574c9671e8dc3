import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { TrustProxy } from './env.ts';
import { errorHandlerPlugin } from './error-handler.ts';
import { errorBody } from './errors.ts';
import { type HealthOptions, healthPlugin } from './health.ts';
import { type Resources, resourcesPlugin } from './resources.ts';

export interface BaseAppDeps {
  logger: Logger;
  resources: Resources;
  health?: HealthOptions;
  /**
   * TRUST_PROXY: whose `X-Forwarded-For`/`-Proto` make `request.ip` and `request.protocol`. Default false: the socket's
   * peer, because a header any client can write must not pick the address that per-client limits count.
   */
  trustProxy?: TrustProxy;
}

/** Fastify's types omit the hop count its runtime takes; the function form means the same: trust `hops` hops. */
function fastifyTrustProxy(trust: TrustProxy) {
  if (typeof trust !== 'number') return trust;
  const hops = trust;
  return (_address: string, hop: number) => hop < hops;
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
    trustProxy: fastifyTrustProxy(deps.trustProxy ?? false),
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
