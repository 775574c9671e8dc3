import { bearerToken, HttpError, tokensEqual } from '@calsync/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Another way to prove admin access (e.g. the dashboard's session cookie): true when the request is admin. */
export type AdminCheck = (request: FastifyRequest) => boolean | Promise<boolean>;

/** What a request's credentials amount to. `none`: it presented nothing; `invalid`: it presented something wrong. */
export type AdminVerdict = 'admin' | 'none' | 'invalid';

export interface AdminAccess {
  /** False when no ADMIN_TOKEN is set: admin routes then answer 503, never open. */
  readonly configured: boolean;
  /** Adds a check tried after the bearer token (the dashboard's session). */
  addCheck(check: AdminCheck): void;
  verdict(request: FastifyRequest): Promise<AdminVerdict>;
}

declare module 'fastify' {
  interface FastifyInstance {
    adminAccess: AdminAccess;
    /** preHandler for admin-only routes: 503 when no ADMIN_TOKEN is configured, 401 without valid credentials. */
    requireAdmin: (request: FastifyRequest) => Promise<void>;
  }
}

export function createAdminAccess(adminToken: string | undefined): AdminAccess {
  const checks: AdminCheck[] = [];
  return {
    configured: adminToken !== undefined,
    addCheck: (check) => void checks.push(check),
    async verdict(request) {
      if (adminToken === undefined) return 'none';
      const token = bearerToken(request);
      if (token !== undefined && tokensEqual(token, adminToken)) return 'admin';
      for (const check of checks) if (await check(request)) return 'admin';
      return token !== undefined || request.headers.authorization !== undefined ? 'invalid' : 'none';
    },
  };
}

/** Decorates the app with `adminAccess` and the `requireAdmin` preHandler. */
export const adminAccessPlugin = fp(
  async (app: FastifyInstance, options: { adminToken: string | undefined }) => {
    const access = createAdminAccess(options.adminToken);
    app.decorate('adminAccess', access);
    app.decorate('requireAdmin', async (request: FastifyRequest) => {
      if (!access.configured) {
        throw new HttpError('admin_not_configured', 'admin access is not configured: set ADMIN_TOKEN to enable it');
      }
      const verdict = await access.verdict(request);
      if (verdict === 'admin') return;
      throw new HttpError(
        'unauthorized',
        verdict === 'none' ? 'admin credentials required (Authorization: Bearer <ADMIN_TOKEN>)' : 'invalid credentials',
      );
    });
  },
  { name: 'calsync-admin-access' },
);
