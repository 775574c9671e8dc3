import { publicRateLimitNamespace } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { clientKey } from '../client-key.ts';

/** Requests one client (an IPv4 address or an IPv6 /64) may make to each public function per window. */
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
    nameSpace: publicRateLimitNamespace(redisPrefix),
    skipOnError: true,
    // request.ip is the socket's peer unless TRUST_PROXY names the proxy in front: a forged header cannot pick it.
    keyGenerator: (request) => clientKey(request.ip),
    errorResponseBuilder: (_request, context) =>
      new HttpError('rate_limited', `too many requests: try again in ${context.after}`, {
        details: { retry_after: Math.max(1, Math.ceil(context.ttl / 1000)) },
      }),
  });
}
