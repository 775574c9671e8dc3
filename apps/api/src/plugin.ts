import type { FastifyInstance } from 'fastify';
import type { ApiEnv } from './env.ts';

export interface ApiOptions {
  env: ApiEnv;
}

/** The seed's functions, the dashboards and /metrics. Needs `resourcesPlugin` registered first. */
export async function apiPlugin(_app: FastifyInstance, _options: ApiOptions) {
  // Filled in by the HTTP API issue (6) and the dashboards issue (7).
}
