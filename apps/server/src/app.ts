import { apiPlugin, createReadinessDetails } from '@calsync/api';
import { ingestPlugin } from '@calsync/ingest';
import { buildBaseApp, type Resources } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServerEnv } from './env.ts';

export interface ServerDeps {
  env: ServerEnv;
  logger: Logger;
  resources: Resources;
}

/** Every HTTP route of calsync on one Fastify instance (ingest + api). No side effects. */
export async function buildServerApp(deps: ServerDeps): Promise<FastifyInstance> {
  const readiness = createReadinessDetails(deps.resources);
  const app = await buildBaseApp({ ...deps, health: { details: readiness.details } });
  app.addHook('onClose', readiness.close);
  await app.register(ingestPlugin, { env: deps.env });
  await app.register(apiPlugin, { env: deps.env });
  return app;
}
