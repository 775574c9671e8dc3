import type { FastifyInstance } from 'fastify';
import type { IngestEnv } from './env.ts';

export interface IngestOptions {
  env: IngestEnv;
}

/** POST /cal-webhook and /functions/v1/cal-webhook. Needs `resourcesPlugin` registered first. */
export async function ingestPlugin(_app: FastifyInstance, _options: IngestOptions) {
  // Filled in by the webhook pipeline (issue 4).
}
