import { createReadinessDetails, lateAdminCheck } from '@calsync/api/host';
import { ingestPlugin } from '@calsync/ingest';
import { buildBaseApp, errorBody, type Resources } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { type ApiApp, loadApiApp } from './api-app.ts';
import type { ServerEnv } from './env.ts';

export interface ServerDeps {
  env: ServerEnv;
  logger: Logger;
  resources: Resources;
}

export interface IngestFirstApp {
  /** The instance to listen with: ingest, /healthz and /readyz from the start, the API's routes once loaded. */
  app: FastifyInstance;
  /**
   * Loads the API's routes (the functions, admin dashboards and actions, /metrics). Until it resolves they answer
   * 503 `not_ready` with `Retry-After`; closing `app` meanwhile waits for it, then closes them too.
   */
  loadApi: () => Promise<void>;
}

/**
 * Every HTTP route of calsync (ingest + api) behind one Fastify instance, built in two steps so that the process can
 * listen as soon as ingest is ready (`pnpm start`): the API's modules take longer to load than ingest's, and Cal.com's
 * deliveries refused meanwhile are never resent. No side effects.
 */
export async function buildIngestFirstApp(deps: ServerDeps): Promise<IngestFirstApp> {
  const readiness = createReadinessDetails(deps.resources);
  const admins = lateAdminCheck();
  const app = await buildBaseApp({
    ...deps,
    trustProxy: deps.env.TRUST_PROXY,
    health: { details: readiness.details, mayReadDetails: admins.isAdmin },
  });
  await app.register(ingestPlugin, { env: deps.env });

  let api: ApiApp | undefined;
  let loading: Promise<void> | undefined;
  const loadApi = () => {
    loading ??= loadApiApp({ ...deps, onAdminAccess: admins.bind }).then((loaded) => {
      api = loaded;
    });
    return loading;
  };
  // Whatever ingest and the health checks do not route is the API's. It gets the request unread (the body included)
  // and answers it on this instance's connection, with its own hooks, error handler and 404.
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

/** Every HTTP route of calsync (ingest + api) on one Fastify instance, the API already loaded. No side effects. */
export async function buildServerApp(deps: ServerDeps): Promise<FastifyInstance> {
  const server = await buildIngestFirstApp(deps);
  await server.loadApi();
  return server.app;
}
