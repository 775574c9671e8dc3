import { openSyncQueue } from '@calsync/jobs';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { ActionContext } from './actions/action-context.ts';
import { createCalWriter } from './actions/cal-writer.ts';
import { type AdminAccess, adminAccessPlugin } from './auth/admin-access.ts';
import { createFailureLimit } from './auth/failure-limit.ts';
import { createSupabaseTokens } from './auth/supabase-token.ts';
import { createSlotsSource } from './availability/cal-slots.ts';
import { createMissLimit } from './availability/miss-limit.ts';
import { createSharedCache } from './availability/shared-cache.ts';
import type { CalAccess } from './cal-access.ts';
import { type ChangesOptions, changesPlugin } from './changes/changes-plugin.ts';
import { dashboardPlugin } from './dashboard/plugin.ts';
import type { ApiEnv } from './env.ts';
import { insightsPlugin } from './insights/insights-plugin.ts';
import { metricsPlugin } from './metrics/metrics-route.ts';
import { notificationsPlugin } from './notifications/notifications-plugin.ts';
import { outboundPlugin } from './outbound/outbound-plugin.ts';
import { queuesBoardPlugin } from './queues-board.ts';
import { registerCalAvailability } from './routes/cal-availability.ts';
import { registerCalBookingByUid } from './routes/cal-booking-by-uid.ts';
import { registerCalBookings } from './routes/cal-bookings.ts';
import { registerCalEventTypes } from './routes/cal-event-types.ts';
import { registerDocs } from './routes/docs.ts';
import { registerPublicRateLimit } from './routes/public-rate-limit.ts';
import { lazySyncQueue } from './routes/sync-action.ts';

export interface ApiOptions {
  env: ApiEnv;
  availability?: {
    /** How long a request may wait for a Cal.com budget token before 503 + `retry_after` (default 5 s). */
    maxWaitMs?: number;
    /** The shared budget's rolling window (default 60 s, as Cal.com's; shorter in tests). */
    budgetWindowMs?: number;
  };
  /** The change feed's stream: heartbeat and poll intervals (shorter in tests). */
  changes?: ChangesOptions;
  /** Receives the admin check once it exists: the host app shows /readyz's details to admins only. */
  onAdminAccess?: (access: AdminAccess) => void;
}

/**
 * The original design's functions (README, "Coming from the Supabase edge functions"), the dashboards and /metrics.
 * Needs `resourcesPlugin` registered first.
 */
export async function apiPlugin(app: FastifyInstance, options: ApiOptions) {
  const { env } = options;
  const { db, redis, redisUrl, redisPrefix } = app.resources;
  const failures = createFailureLimit({
    redis,
    redisPrefix,
    max: env.AUTH_FAILURES_PER_CLIENT,
    windowMs: env.AUTH_FAILURE_WINDOW,
  });
  const supabase = createSupabaseTokens({
    jwtSecret: env.SUPABASE_JWT_SECRET,
    url: env.SUPABASE_URL,
    adminClaim: env.SUPABASE_ADMIN_CLAIM,
  });
  await app.register(adminAccessPlugin, {
    adminToken: env.ADMIN_TOKEN,
    supabase,
    failures,
  });
  options.onAdminAccess?.(app.adminAccess);
  // No CORS_ORIGINS: no CORS headers at all, so browsers on other origins are refused.
  if (env.CORS_ORIGINS && env.CORS_ORIGINS.length > 0) {
    await app.register(cors, { origin: env.CORS_ORIGINS, methods: ['GET', 'POST', 'OPTIONS'] });
  }
  await registerPublicRateLimit(app);
  await registerDocs(app);

  const maxWaitMs = options.availability?.maxWaitMs ?? 5_000;
  // Availability reads and admin writes reach Cal.com through the same shared budget, at interactive priority.
  const calAccess: CalAccess | undefined = env.CAL_API_KEY
    ? {
        baseUrl: env.CAL_API_URL,
        apiKey: env.CAL_API_KEY,
        limitPerMinute: env.CAL_API_RATE_LIMIT,
        redis,
        redisPrefix,
        maxWaitMs,
        budgetWindowMs: options.availability?.budgetWindowMs,
      }
    : undefined;
  const slots = calAccess && createSlotsSource(calAccess);
  app.addHook('onClose', async () => slots?.close());
  const cache = createSharedCache({
    redis,
    ttlSeconds: Math.ceil(env.AVAILABILITY_CACHE_TTL / 1_000),
    // Long enough for the budget wait plus Cal.com's answer (the client's timeouts are 10 s).
    lockMs: maxWaitMs + 25_000,
  });
  const syncQueue = lazySyncQueue(app, () => openSyncQueue({ redisUrl, prefix: redisPrefix }));
  const rateLimit = { max: env.PUBLIC_RATE_LIMIT, timeWindow: 60_000 };

  // Admin actions written back to Cal.com.
  const cal = calAccess && createCalWriter(calAccess);
  app.addHook('onClose', async () => cal?.close());
  const actions: ActionContext = { db, redis, redisPrefix, cal, now: () => new Date() };
  app.decorate('calActions', actions);
  registerCalBookings(app, syncQueue, actions);
  registerCalBookingByUid(app);
  registerCalEventTypes(app, syncQueue, rateLimit, actions);
  const countMiss = createMissLimit({
    redis,
    redisPrefix,
    perMinute: env.AVAILABILITY_MISSES_PER_CLIENT,
  });
  registerCalAvailability(app, { db, redis, redisPrefix, cache, slots, countMiss }, rateLimit);
  await app.register(dashboardPlugin, { env }); // /admin/calendar (adds its session to the admin check)
  await app.register(queuesBoardPlugin); // /admin/queues
  await app.register(metricsPlugin, { env }); // /metrics
  await app.register(insightsPlugin, { timeZone: env.OWNER_TIMEZONE }); // /admin/api/insights
  await app.register(changesPlugin, options.changes ?? {}); // /admin/api/changes and its stream
  await app.register(notificationsPlugin); // /admin/api/notifications
  await app.register(outboundPlugin, { allowPrivate: env.OUTBOUND_ALLOW_PRIVATE }); // /admin/api/endpoints
}
