import type { Database } from '@calsync/db';
import { errorBody, HttpError } from '@calsync/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { CalWriter } from './cal-writer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The admin actions' dependencies, for the dashboard's forms (set by the api plugin). */
    calActions: ActionContext;
  }
}

/** What an admin action needs: the mirror, Redis (idempotency keys, availability cache), and the Cal.com writer. */
export interface ActionContext {
  db: Database;
  redis: Redis;
  redisPrefix: string;
  /** Undefined without CAL_API_KEY: every action then answers 503 naming it. */
  cal: CalWriter | undefined;
  now: () => Date;
}

export function requireCal(context: ActionContext): CalWriter {
  if (!context.cal) {
    throw new HttpError('cal_api_not_configured', 'CAL_API_KEY is not set: calsync cannot change anything in Cal.com');
  }
  return context.cal;
}

/** Who asked, for the audit trail (never the credential itself). */
export async function actorOf(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  const identity = await app.adminAccess.identify(request);
  if (identity.verdict !== 'admin') return 'unknown';
  if (identity.by === 'bearer') return 'admin-token';
  if (identity.by === 'supabase') return 'supabase-admin';
  return 'dashboard-session';
}

/** An HttpError as the answer a repeat of the request gets back. */
export function errorAnswer(error: HttpError): { statusCode: number; body: unknown } {
  return {
    statusCode: error.statusCode,
    body: errorBody(error.code, error.message, error.details),
  };
}
