import { HttpError } from '@calsync/service-kit';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

/** Requests one client IP may make to each public function per window. */
export interface PublicRateLimit {
  max: number;
  /** Milliseconds. */
  timeWindow: number;
}

/**
 * Per-IP limits kept in Redis so every API process counts together. Only routes that ask for it
 * (`config.rateLimit`) are limited. When Redis is down the limit is skipped rather than failing the request.
 */
export async function registerPublicRateLimit(app: FastifyInstance) {
  const { redis, redisPrefix } = app.resources;
  await app.register(rateLimit, {
    global: false,
    redis,
    nameSpace: `${redisPrefix}:rate-limit:`,
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new HttpError('rate_limited', `too many requests: try again in ${context.after}`, {
        details: { retry_after: Math.max(1, Math.ceil(context.ttl / 1000)) },
      }),
  });
}
