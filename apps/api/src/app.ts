import { buildBaseApp, type Resources } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { lateAdminCheck } from './auth/late-admin-check.ts';
import type { ApiEnv } from './env.ts';
import { type ApiOptions, apiPlugin } from './plugin.ts';
import { createReadinessDetails } from './readiness.ts';

export interface ApiAppDeps {
  env: ApiEnv;
  logger: Logger;
  resources: Resources;
  /** Tuning and test knobs passed to the plugin. */
  options?: Omit<ApiOptions, 'env' | 'onAdminAccess'>;
}

/** The API alone on one Fastify instance (the all-in-one server mounts `apiPlugin` itself). No side effects. */
export async function buildApiApp(deps: ApiAppDeps): Promise<FastifyInstance> {
  const readiness = createReadinessDetails(deps.resources);
  const admins = lateAdminCheck();
  const app = await buildBaseApp({
    ...deps,
    trustProxy: deps.env.TRUST_PROXY,
    health: { details: readiness.details, mayReadDetails: admins.isAdmin },
  });
  app.addHook('onClose', readiness.close);
  await app.register(apiPlugin, { ...deps.options, env: deps.env, onAdminAccess: admins.bind });
  return app;
}
