import { type ApiHost, buildApiHost } from '@calsync/api/host';
import { ingestPlugin } from '@calsync/ingest';
import type { Resources } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServerEnv } from './env.ts';

export interface ServerDeps {
  env: ServerEnv;
  logger: Logger;
  resources: Resources;
}

/**
 * Every HTTP route of calsync (ingest + api) behind one Fastify instance, built in two steps so that the process can
 * listen as soon as ingest is ready (`pnpm start`): the API's modules take longer to load than ingest's, and Cal.com's
 * deliveries refused meanwhile are never resent. `loadApi` loads the rest. No side effects.
 */
export async function buildIngestFirstApp(deps: ServerDeps): Promise<ApiHost> {
  return await buildApiHost({
    ...deps,
    firstRoutes: async (app) => {
      await app.register(ingestPlugin, { env: deps.env });
    },
  });
}

/** Every HTTP route of calsync (ingest + api) on one Fastify instance, the API already loaded. No side effects. */
export async function buildServerApp(deps: ServerDeps): Promise<FastifyInstance> {
  const server = await buildIngestFirstApp(deps);
  await server.loadApi();
  return server.app;
}
