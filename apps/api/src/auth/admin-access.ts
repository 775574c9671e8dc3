import { bearerToken, HttpError, tokensEqual } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { clientKey } from '../client-key.ts';
import { type FailureLimit, tooManyFailures } from './failure-limit.ts';

/** Another way to prove admin access (e.g. the dashboard's session cookie): true when the request is admin. */
export type AdminCheck = (request: FastifyRequest) => boolean | Promise<boolean>;

/**
 * What a request's credentials amount to. `none`: it presented nothing; `invalid`: it presented something wrong;
 * `limited`: it presented a token after too many wrong ones, so the token was not even compared.
 */
export type AdminVerdict = 'admin' | 'none' | 'invalid' | 'limited';

/** How a request is admin: by the bearer token, or by an added check (whose `allowsChange` guards state changes). */
export type AdminIdentity =
  | { verdict: 'admin'; by: 'bearer' }
  | { verdict: 'admin'; by: 'check'; allowsChange: AdminCheck | undefined }
  | { verdict: 'none' | 'invalid' }
  | { verdict: 'limited'; retryAfterS: number };

export interface AdminAccess {
  /** False when no ADMIN_TOKEN is set: admin routes then answer 503, never open. */
  readonly configured: boolean;
  /** Wrong tokens per client (bearer here, the dashboard's login form there). */
  readonly failures: FailureLimit;
  /**
   * Adds a check tried after the bearer token (the dashboard's session). A state change through it also needs
   * POST and `allowsChange` (the session's CSRF token): a cookie rides along on requests other sites make.
   */
  addCheck(check: AdminCheck, options?: { allowsChange?: AdminCheck }): void;
  identify(request: FastifyRequest): Promise<AdminIdentity>;
  verdict(request: FastifyRequest): Promise<AdminVerdict>;
}

declare module 'fastify' {
  interface FastifyInstance {
    adminAccess: AdminAccess;
    /** preHandler for admin-only routes: 503 without ADMIN_TOKEN, 401 without valid credentials, 429 after many. */
    requireAdmin: (request: FastifyRequest, reply?: FastifyReply) => Promise<void>;
    /** `requireAdmin` for a state change: a cookie session must also POST its CSRF token (403 otherwise). */
    requireAdminChange: (request: FastifyRequest, reply?: FastifyReply) => Promise<void>;
  }
}

export function createAdminAccess(adminToken: string | undefined, failures: FailureLimit): AdminAccess {
  const checks: { check: AdminCheck; allowsChange: AdminCheck | undefined }[] = [];
  async function identify(request: FastifyRequest): Promise<AdminIdentity> {
    if (adminToken === undefined) return { verdict: 'none' };
    const token = bearerToken(request);
    const presented = token !== undefined || request.headers.authorization !== undefined;
    const client = clientKey(request.ip);
    const retryAfterS = presented ? await failures.blockedFor(client) : 0;
    if (retryAfterS === 0 && token !== undefined && tokensEqual(token, adminToken)) {
      return { verdict: 'admin', by: 'bearer' };
    }
    for (const { check, allowsChange } of checks) {
      if (await check(request)) return { verdict: 'admin', by: 'check', allowsChange };
    }
    if (retryAfterS > 0) return { verdict: 'limited', retryAfterS };
    if (!presented) return { verdict: 'none' };
    await failures.record(client);
    return { verdict: 'invalid' };
  }
  return {
    configured: adminToken !== undefined,
    failures,
    addCheck: (check, options = {}) => void checks.push({ check, allowsChange: options.allowsChange }),
    identify,
    verdict: async (request) => (await identify(request)).verdict,
  };
}

/** Decorates the app with `adminAccess` and the `requireAdmin` and `requireAdminChange` preHandlers. */
export const adminAccessPlugin = fp(
  async (app: FastifyInstance, options: { adminToken: string | undefined; failures: FailureLimit }) => {
    const access = createAdminAccess(options.adminToken, options.failures);
    async function admitted(request: FastifyRequest, reply: FastifyReply | undefined): Promise<AdminIdentity> {
      if (!access.configured) {
        throw new HttpError('admin_not_configured', 'admin access is not configured: set ADMIN_TOKEN to enable it');
      }
      const identity = await access.identify(request);
      if (identity.verdict === 'admin') return identity;
      if (identity.verdict === 'limited') throw tooManyFailures(identity.retryAfterS, reply);
      throw new HttpError(
        'unauthorized',
        identity.verdict === 'none'
          ? 'admin credentials required (Authorization: Bearer <ADMIN_TOKEN>)'
          : 'invalid credentials',
      );
    }
    app.decorate('adminAccess', access);
    app.decorate('requireAdmin', async (request: FastifyRequest, reply?: FastifyReply) => {
      await admitted(request, reply);
    });
    app.decorate('requireAdminChange', async (request: FastifyRequest, reply?: FastifyReply) => {
      const identity = await admitted(request, reply);
      if (identity.verdict !== 'admin' || identity.by === 'bearer') return;
      if (request.method === 'POST' && identity.allowsChange && (await identity.allowsChange(request))) return;
      throw new HttpError(
        'forbidden',
        'with the dashboard session a change needs POST and the session CSRF token (x-csrf-token header, from GET /admin/calendar/csrf-token); or send Authorization: Bearer <ADMIN_TOKEN>',
      );
    });
  },
  { name: 'calsync-admin-access' },
);
