import { readFileSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiEnv } from '../env.ts';
import { registerInsightsPage } from '../insights/insights-page.ts';
import { registerNotificationsPage } from '../notifications/notifications-page.ts';
import { registerOutboundPage } from '../outbound/outbound-page.ts';
import { registerDashboardActions } from './actions.ts';
import { carriesApiCsrfToken, registerApiCsrfRoute } from './api-csrf.ts';
import { registerDashboardPages } from './pages.ts';
import { deriveKey, type SessionStore, sessionOf } from './session.ts';
import { DASHBOARD } from './views/layout.ts';
import { notConfiguredPage } from './views/login.ts';

export interface DashboardOptions {
  env: ApiEnv;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The dashboard session id, when the request carries a valid session cookie (dashboard routes only). */
    dashboardSession: string | undefined;
  }
}

const assets = {
  'dashboard.css': {
    type: 'text/css; charset=utf-8',
    body: readFileSync(new URL('./assets/dashboard.css', import.meta.url)),
  },
  'dashboard.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(new URL('./assets/dashboard.js', import.meta.url)),
  },
};

// Only our own stylesheet and script; no inline code, no framing (clickjacking the sync and replay buttons).
const CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * `/admin/calendar`: the server-rendered admin dashboard. Needs `resourcesPlugin` and the API's `adminAccessPlugin`
 * (it adds its session to the admin check, so the session also opens /admin/queues, /metrics and the admin API).
 */
export async function dashboardPlugin(app: FastifyInstance, { env }: DashboardOptions) {
  // Browser pages, not API: only the front door appears in the OpenAPI document.
  app.addHook('onRoute', (route) => {
    const frontDoor = route.url === DASHBOARD && route.method === 'GET';
    route.schema = frontDoor
      ? {
          ...route.schema,
          summary: 'The admin calendar dashboard (browser; log in with ADMIN_TOKEN)',
          tags: ['dashboards'],
        }
      : { ...route.schema, hide: true };
  });
  app.get<{ Params: { name: string } }>(`${DASHBOARD}/assets/:name`, async (request, reply) => {
    const asset = assets[request.params.name as keyof typeof assets];
    if (!Object.hasOwn(assets, request.params.name) || !asset) return reply.status(404).send('not found');
    return reply.type(asset.type).header('cache-control', 'public, max-age=300').send(asset.body);
  });
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith(`${DASHBOARD}/assets/`)) reply.header('cache-control', 'no-store');
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
  });

  const adminToken = env.ADMIN_TOKEN;
  if (adminToken === undefined) {
    // Never open: every dashboard page says how to configure access.
    const closed = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.status(503).type('text/html; charset=utf-8').send(notConfiguredPage());
    app.get(DASHBOARD, closed);
    app.all(`${DASHBOARD}/*`, closed);
    return;
  }

  const store: SessionStore = { redis: app.resources.redis, redisPrefix: app.resources.redisPrefix, adminToken };
  app.adminAccess.addCheck(async (request) => (await sessionOf(store, request)) !== undefined, {
    allowsChange: (request) => carriesApiCsrfToken(store, request),
  });

  await app.register(fastifyCookie, { secret: deriveKey(adminToken, 'session-cookie') });
  await app.register(fastifyFormbody, { bodyLimit: 16_384 });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'calsync_csrf',
    cookieOpts: { path: DASHBOARD, httpOnly: true, sameSite: 'strict', signed: true },
    // Tokens are bound to the session: a token from one session (or from the login page) fails in another.
    getUserInfo: (request) => request.dashboardSession ?? 'anonymous',
    csrfOpts: { hmacKey: deriveKey(adminToken, 'csrf'), userInfo: true },
  });
  app.decorateRequest('dashboardSession', undefined);
  app.addHook('onRequest', async (request) => {
    request.dashboardSession = await sessionOf(store, request);
  });

  registerDashboardPages(app, env);
  registerInsightsPage(app, env.OWNER_TIMEZONE); // /admin/calendar/insights
  registerNotificationsPage(app, env.SMTP_URL !== undefined); // /admin/calendar/notifications
  registerOutboundPage(app, env.OUTBOUND_ALLOW_PRIVATE); // /admin/calendar/webhooks
  registerDashboardActions(app, store);
  registerApiCsrfRoute(app, store);
}
