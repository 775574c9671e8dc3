import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimiter } from './rate-limiter.ts';
import type { RequestLog } from './request-log.ts';
import { sendV2Error } from './v2-errors.ts';
import { publicTeamEventTypesPath } from './v2-team-routes.ts';

const arrivals = new WeakMap<FastifyRequest, { at: number; key: string | null }>();

function bearerKey(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/**
 * What runs before every /v2 route, in Cal.com's order: the throttler (its three headers on every answer,
 * 429 while over the limit or blocked), then the API key (401; a team's event types are public). Every /v2 answer is written to the log.
 */
export function registerV2Guard(
  app: FastifyInstance,
  deps: { apiKey: string; limiter: RateLimiter; log: RequestLog; now: () => number },
) {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v2/') && request.url !== '/v2') return;
    const key = bearerKey(request);
    arrivals.set(request, { at: deps.now(), key });
    const decision = deps.limiter.hit(key ?? `ip:${request.ip}`);
    reply.headers(decision.headers);
    if (!decision.allowed) {
      return sendV2Error(request, reply, 429, 'ThrottlerException', 'ThrottlerException: Too Many Requests');
    }
    const isPublic = request.method === 'GET' && publicTeamEventTypesPath.test(request.url);
    if (key !== deps.apiKey && !isPublic) {
      const message = key === null ? 'No Authorization header was provided' : 'Invalid API key';
      return sendV2Error(request, reply, 401, 'UnauthorizedException', message);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const arrival = arrivals.get(request);
    if (!arrival) return;
    const version = request.headers['cal-api-version'];
    deps.log.add({
      at: arrival.at,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query: { ...(request.query as Record<string, unknown>) },
      status: reply.statusCode,
      apiVersion: typeof version === 'string' ? version : null,
      key: arrival.key,
    });
  });
}
