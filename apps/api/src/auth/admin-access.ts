import { bearerToken, HttpError, tokensEqual } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { clientKey } from '../client-key.ts';
import { type FailureLimit, tooManyFailures } from './failure-limit.ts';
import { looksLikeJwt, type SupabaseTokens } from './supabase-token.ts';

/** Another way to prove admin access (e.g. the dashboard's session cookie): true when the request is admin. */
export type AdminCheck = (request: FastifyRequest) => boolean | Promise<boolean>;

/**
 * What a request's credentials amount to. `none`: it presented nothing; `public`: a valid Supabase token that is not
 * an admin's (a user, the anon key); `invalid`: it presented something wrong; `limited`: it presented a token after
 * too many wrong ones, so the token was not even compared.
 */
export type AdminVerdict = 'admin' | 'none' | 'public' | 'invalid' | 'limited';

/**
 * How a request is admin: by ADMIN_TOKEN, by a Supabase access token with the admin claim, or by an added check
 * (whose `allowsChange` guards state changes). `invalid` from a Supabase token says why (`supabaseReason`).
 */
export type AdminIdentity =
  | { verdict: 'admin'; by: 'bearer' | 'supabase' }
  | { verdict: 'admin'; by: 'check'; allowsChange: AdminCheck | undefined }
  | { verdict: 'none' }
  | { verdict: 'public'; notAdmin: string }
  | { verdict: 'invalid'; supabaseReason?: string }
  | { verdict: 'limited'; retryAfterS: number };

export interface AdminAccess {
  /** False when neither ADMIN_TOKEN nor Supabase Auth is set: admin routes then answer 503, never open. */
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
    /**
     * preHandler for admin-only routes: 503 when no admin credential is configured, 401 without valid credentials
     * (403 for a valid Supabase token without the admin claim), 429 after too many wrong ones.
     */
    requireAdmin: (request: FastifyRequest, reply?: FastifyReply) => Promise<void>;
    /** `requireAdmin` for a state change: a cookie session must also POST its CSRF token (403 otherwise). */
    requireAdminChange: (request: FastifyRequest, reply?: FastifyReply) => Promise<void>;
  }
}

export interface AdminCredentials {
  adminToken: string | undefined;
  /** Supabase Auth access tokens (SUPABASE_JWT_SECRET / SUPABASE_URL); undefined when neither is set. */
  supabase?: SupabaseTokens | undefined;
}

export function createAdminAccess(credentials: AdminCredentials, failures: FailureLimit): AdminAccess {
  const { adminToken, supabase } = credentials;
  const checks: { check: AdminCheck; allowsChange: AdminCheck | undefined }[] = [];
  // One answer per request: a route may ask more than once, and a wrong token must count as one failure.
  const identities = new WeakMap<FastifyRequest, Promise<AdminIdentity>>();

  async function bearerIdentity(token: string | undefined): Promise<AdminIdentity | undefined> {
    if (token === undefined) return undefined;
    if (adminToken !== undefined && tokensEqual(token, adminToken)) return { verdict: 'admin', by: 'bearer' };
    if (supabase === undefined || !looksLikeJwt(token)) return undefined;
    const verdict = await supabase.verify(token);
    if (verdict.kind === 'admin') return { verdict: 'admin', by: 'supabase' };
    if (verdict.kind === 'public') return { verdict: 'public', notAdmin: verdict.notAdmin };
    return { verdict: 'invalid', supabaseReason: verdict.reason };
  }

  async function identifyOnce(request: FastifyRequest): Promise<AdminIdentity> {
    if (adminToken === undefined && supabase === undefined) return { verdict: 'none' };
    const token = bearerToken(request);
    const presented = token !== undefined || request.headers.authorization !== undefined;
    const client = clientKey(request.ip);
    const retryAfterS = presented ? await failures.blockedFor(client) : 0;
    const byBearer = retryAfterS === 0 ? await bearerIdentity(token) : undefined;
    if (byBearer?.verdict === 'admin') return byBearer;
    for (const { check, allowsChange } of checks) {
      if (await check(request)) return { verdict: 'admin', by: 'check', allowsChange };
    }
    if (retryAfterS > 0) return { verdict: 'limited', retryAfterS };
    if (!presented) return { verdict: 'none' };
    if (byBearer?.verdict === 'public') return byBearer;
    await failures.record(client);
    return byBearer ?? { verdict: 'invalid' };
  }

  function identify(request: FastifyRequest): Promise<AdminIdentity> {
    let identity = identities.get(request);
    if (identity === undefined) {
      identity = identifyOnce(request);
      identities.set(request, identity);
    }
    return identity;
  }

  return {
    configured: adminToken !== undefined || supabase !== undefined,
    failures,
    addCheck: (check, options = {}) => void checks.push({ check, allowsChange: options.allowsChange }),
    identify,
    verdict: async (request) => (await identify(request)).verdict,
  };
}

/** The 401 (or 403 for a valid token that is not an admin's) that `identity` earns on an admin route. */
function refusal(identity: AdminIdentity): HttpError {
  if (identity.verdict === 'public') {
    return new HttpError(
      'forbidden',
      `this Supabase access token does not make its bearer an admin: ${identity.notAdmin}`,
    );
  }
  if (identity.verdict === 'invalid' && identity.supabaseReason !== undefined) {
    return invalidSupabaseToken(identity.supabaseReason);
  }
  return new HttpError(
    'unauthorized',
    identity.verdict === 'none'
      ? 'admin credentials required (Authorization: Bearer <ADMIN_TOKEN> or a Supabase access token)'
      : 'invalid credentials',
  );
}

function invalidSupabaseToken(reason: string): HttpError {
  return new HttpError('unauthorized', `invalid Supabase access token: ${reason}`);
}

/** Decorates the app with `adminAccess` and the `requireAdmin` and `requireAdminChange` preHandlers. */
export const adminAccessPlugin = fp(
  async (app: FastifyInstance, options: AdminCredentials & { failures: FailureLimit }) => {
    const access = createAdminAccess(options, options.failures);
    async function admitted(request: FastifyRequest, reply: FastifyReply | undefined): Promise<AdminIdentity> {
      if (!access.configured) {
        throw new HttpError(
          'admin_not_configured',
          'admin access is not configured: set ADMIN_TOKEN (or SUPABASE_JWT_SECRET / SUPABASE_URL) to enable it',
        );
      }
      const identity = await access.identify(request);
      if (identity.verdict === 'admin') return identity;
      if (identity.verdict === 'limited') throw tooManyFailures(identity.retryAfterS, reply);
      throw refusal(identity);
    }
    app.decorate('adminAccess', access);
    // Public functions too refuse a Supabase token that does not verify, as Supabase's own gateway did: a frontend
    // whose session expired learns it from the 401 instead of silently getting the public view.
    if (options.supabase !== undefined) {
      app.addHook('preHandler', async (request) => {
        if (!looksLikeJwt(bearerToken(request))) return;
        const identity = await access.identify(request);
        if (identity.verdict === 'invalid' && identity.supabaseReason !== undefined) {
          throw invalidSupabaseToken(identity.supabaseReason);
        }
      });
    }
    app.decorate('requireAdmin', async (request: FastifyRequest, reply?: FastifyReply) => {
      await admitted(request, reply);
    });
    app.decorate('requireAdminChange', async (request: FastifyRequest, reply?: FastifyReply) => {
      const identity = await admitted(request, reply);
      // A bearer token is never sent by a browser on its own, so only the cookie session needs the CSRF token.
      if (identity.verdict !== 'admin' || identity.by !== 'check') return;
      if (request.method === 'POST' && identity.allowsChange && (await identity.allowsChange(request))) return;
      throw new HttpError(
        'forbidden',
        'with the dashboard session a change needs POST and the session CSRF token (x-csrf-token header, from GET /admin/calendar/csrf-token); or send Authorization: Bearer <ADMIN_TOKEN> (or a Supabase access token with the admin claim)',
      );
    });
  },
  { name: 'calsync-admin-access' },
);
