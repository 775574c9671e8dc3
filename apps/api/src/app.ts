import type { FastifyInstance } from 'fastify';
import { type ApiHostDeps, buildApiHost } from './api-host.ts';

export type ApiAppDeps = Omit<ApiHostDeps, 'firstRoutes'>;

/** The API alone on one Fastify instance, its routes loaded (`start.ts` listens before it loads them). No side effects. */
export async function buildApiApp(deps: ApiAppDeps): Promise<FastifyInstance> {
  const host = await buildApiHost(deps);
  await host.loadApi();
  return host.app;
}
