import { buildBaseApp, type Resources } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ApiEnv } from './env.ts';
import { type ApiOptions, apiPlugin } from './plugin.ts';
import { createReadinessDetails } from './readiness.ts';

export interface ApiAppDeps {
  env: ApiEnv;
  logger: Logger;
  resources: Resources;
  /** Tuning and test knobs passed to the plugin. */
  options?: Omit<ApiOptions, 'env'>;
}

/** The API alone on one Fastify instance (the all-in-one server mounts `apiPlugin` itself). No side effects. */
export async function buildApiApp(deps: ApiAppDeps): Promise<FastifyInstance> {
  const readiness = createReadinessDetails(deps.resources);
  const app = await buildBaseApp({ ...deps, health: { details: readiness.details } });
  app.addHook('onClose', readiness.close);
  await app.register(apiPlugin, { ...deps.options, env: deps.env });
  return app;
}
