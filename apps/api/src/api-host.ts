import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildBaseApp, errorBody, type Resources } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AdminAccess } from './auth/admin-access.ts';
import { lateAdminCheck } from './auth/late-admin-check.ts';
import type { ApiEnv } from './env.ts';
import type { ApiOptions } from './plugin.ts';
import { createReadinessDetails } from './readiness.ts';

export interface ApiHostDeps {
  env: ApiEnv;
  logger: Logger;
  resources: Resources;
  /** Tuning and test knobs passed to the API's plugin. */
  options?: Omit<ApiOptions, 'env' | 'onAdminAccess'>;
  /** What answers from the start beside /healthz and /readyz: the all-in-one process registers ingest here. */
  firstRoutes?: (app: FastifyInstance) => Promise<void>;
}

export interface ApiHost {
  /** The instance to listen with: /healthz, /readyz and `firstRoutes` from the start, the API's routes once loaded. */
  app: FastifyInstance;
  /**
   * Loads the API's routes (the functions, admin dashboards and actions, /metrics). Until it resolves they answer
   * 503 `not_ready` with `Retry-After`; closing `app` meanwhile waits for it, then closes them too.
   */
  loadApi: () => Promise<void>;
}

/**
 * A process's Fastify instance, built in two steps so that it can listen before the API's modules (the larger part of
 * calsync's) have loaded: a process answers /healthz within a second of starting, and the all-in-one takes Cal.com's
 * deliveries, which are never resent when refused. No side effects.
 */
export async function buildApiHost(deps: ApiHostDeps): Promise<ApiHost> {
  const readiness = createReadinessDetails(deps.resources);
  const admins = lateAdminCheck();
  let api: LoadedApi | undefined;
  let loading: Promise<void> | undefined;
  const app = await buildBaseApp({
    logger: deps.logger,
    resources: deps.resources,
    trustProxy: deps.env.TRUST_PROXY,
    health: { details: readiness.details, mayReadDetails: admins.isAdmin, starting: () => api === undefined },
  });
  await deps.firstRoutes?.(app);

  const loadApi = () => {
    loading ??= loadApiRoutes(deps, admins.bind).then((loaded) => {
      api = loaded;
    });
    return loading;
  };
  // Whatever the first routes and the health checks do not route is the API's. It gets the request unread (the body
  // included) and answers it on this instance's connection, with its own hooks, error handler and 404.
  const toApi = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!api) {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(errorBody('not_ready', 'calsync is starting: this route answers in a moment'));
    }
    reply.hijack();
    api.forward(request.raw, reply.raw);
  };
  app.all('/*', { onRequest: toApi }, async () => undefined);

  // Before this instance stops listening: the API's own close ends its change streams, then waits for the requests
  // it is answering, then closes what they use.
  app.addHook('preClose', async () => {
    await loading?.catch(() => {});
    await api?.close();
  });
  app.addHook('onClose', readiness.close);
  return { app, loadApi };
}

/** The API's routes on a Fastify instance that does not listen: the host hands it requests. */
interface LoadedApi {
  /** Answers one request the host received and did not route, on the host's connection. */
  forward: (request: IncomingMessage, response: ServerResponse) => void;
  /** Ends the change streams, waits for the requests being answered, then closes what they use. */
  close: () => Promise<void>;
}

/**
 * Loads the API's modules and builds its routes. The modules load a package at a time, with the requests that arrived
 * meanwhile answered in between: loading one blocks the process, and the host's requests must not wait for all of them.
 */
async function loadApiRoutes(deps: ApiHostDeps, onAdminAccess: (access: AdminAccess) => void): Promise<LoadedApi> {
  await import('@calsync/worker'); // the API writes Cal.com's answers to admin actions through the worker's mapping
  await waitingRequestsAnswered();
  const { apiPlugin } = await import('./plugin.ts');
  await waitingRequestsAnswered();
  const app = await buildBaseApp({ logger: deps.logger, resources: deps.resources, trustProxy: deps.env.TRUST_PROXY });
  await app.register(apiPlugin, { ...deps.options, env: deps.env, onAdminAccess });
  const answering = responsesInFlight();
  // This instance's close does not wait for connections (they are the host's): this hook does. It runs after the
  // preClose hooks (which end the change streams) and before the onClose hooks registered earlier, which close what
  // the requests use: Fastify runs onClose hooks last-registered first.
  app.addHook('onClose', answering.allDone);
  await app.ready();
  return {
    forward(request, response) {
      answering.add(response);
      app.routing(request, response);
    },
    close: () => app.close(),
  };
}

/** Lets the event loop take the connections and requests that arrived while a module was loading. */
const waitingRequestsAnswered = () => new Promise((resolve) => setTimeout(resolve, 0));

function responsesInFlight() {
  const open = new Set<ServerResponse>();
  let wake: (() => void) | undefined;
  return {
    add(response: ServerResponse) {
      open.add(response);
      response.once('close', () => {
        open.delete(response);
        if (open.size === 0) wake?.();
      });
    },
    allDone: () => (open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve))),
  };
}
