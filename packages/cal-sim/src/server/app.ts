import Fastify, { type FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { SimBadRequestError, SimConflictError, SimNotFoundError, type SimStore } from '../store/sim-store.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import { registerAdminShapeRoutes } from './admin-shape-routes.ts';
import type { PagingTotals } from './list-bookings.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { RequestLog } from './request-log.ts';
import { SlotsEventTypeNotFound } from './slots.ts';
import { V2BadRequest, v2ErrorBody } from './v2-errors.ts';
import { registerV2Guard } from './v2-guard.ts';
import { registerV2Routes } from './v2-routes.ts';
import { registerV2WriteRoutes } from './v2-write-routes.ts';

export interface CalSimAppDeps {
  store: SimStore;
  log: RequestLog;
  apiKey: string;
  rateLimit: number;
  rateWindowMs: number;
  blockMs: number;
  /** Clock of rate windows and the request log (ms). */
  rateClock: () => number;
  /** The throttler name in the rate-limit headers; default `Default`. */
  rateLimitName?: string;
  /** How truthful `GET /v2/bookings` totals are; default exact. */
  pagingTotals?: PagingTotals;
}

/** The simulator's Fastify app, not listening: API v2 under /v2, the admin surface under /_sim. */
export function buildCalSimApp(deps: CalSimAppDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  const now = deps.rateClock;
  const limiter = new RateLimiter({
    limit: deps.rateLimit,
    windowMs: deps.rateWindowMs,
    blockMs: deps.blockMs,
    now,
    ...(deps.rateLimitName ? { name: deps.rateLimitName } : {}),
  });
  registerV2Guard(app, { apiKey: deps.apiKey, limiter, log: deps.log, now });
  registerV2Routes(app, deps.store, deps.pagingTotals);
  registerV2WriteRoutes(app, deps.store);
  registerAdminRoutes(app, { store: deps.store, log: deps.log, limiter, rateWindowMs: deps.rateWindowMs });
  registerAdminShapeRoutes(app, deps.store);

  app.setErrorHandler((error, request, reply) => {
    const admin = request.url.startsWith('/_sim/');
    const [status, code, message] = classify(error);
    if (admin) return reply.code(status).send({ error: { code, message } });
    if (error instanceof SimBadRequestError) return reply.code(400).send(v2ErrorBody(request.url, error.code, message));
    const v2Code = status === 400 ? 'BadRequestException' : status === 404 ? 'NotFoundException' : code;
    return reply.code(status).send(v2ErrorBody(request.url, v2Code as 'BadRequestException', message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(v2ErrorBody(request.url, 'NotFoundException', `Cannot ${request.method} ${request.url}`)),
  );
  return app;
}

function classify(error: unknown): [number, string, string] {
  if (error instanceof SimBadRequestError) return [400, error.code, error.message];
  if (error instanceof V2BadRequest) return [400, 'BadRequestException', error.message];
  if (error instanceof SimNotFoundError || error instanceof SlotsEventTypeNotFound) {
    return [404, 'NotFoundException', error.message];
  }
  if (error instanceof SimConflictError) return [409, 'ConflictException', error.message];
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return [400, 'BadRequestException', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`];
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) return [status, 'BadRequestException', (error as Error).message];
  return [500, 'InternalServerErrorException', 'Internal server error'];
}
