import { apiPlugin, createReadinessDetails, lateAdminCheck } from '@calsync/api';
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
  const admins = lateAdminCheck();
  const app = await buildBaseApp({
    ...deps,
    trustProxy: deps.env.TRUST_PROXY,
    health: { details: readiness.details, mayReadDetails: admins.isAdmin },
  });
  app.addHook('onClose', readiness.close);
  await app.register(ingestPlugin, { env: deps.env });
  await app.register(apiPlugin, { env: deps.env, onAdminAccess: admins.bind });
  return app;
}
