import { closeOnSignals, createResources, loadEnvOrExit, loggerOptions, migrateOrExit } from '@calsync/service-kit';
import { pino } from 'pino';
import { loadApiEnv } from './env.ts';

// `pnpm --filter @calsync/api start`: the API alone, for scaled deployments. It listens first (/healthz answers
// within a second of starting), then loads its routes; until they have loaded, they and /readyz answer 503
// `not_ready` with `Retry-After: 1` (api-host.ts).
const env = loadEnvOrExit('calsync api', loadApiEnv);
const logger = pino(loggerOptions(env.LOG_LEVEL));
// The host's modules load while the database migrates (waiting on PostgreSQL): the two overlap.
const [, { buildApiHost }] = await Promise.all([migrateOrExit(env.DATABASE_URL, logger), import('./api-host.ts')]);

const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync-api',
});
const { app, loadApi } = await buildApiHost({ env, logger, resources });
await app.listen({ port: env.PORT, host: env.HOST });
if (!env.ADMIN_TOKEN && !env.SUPABASE_JWT_SECRET && !env.SUPABASE_URL) {
  logger.warn('ADMIN_TOKEN is not set (nor SUPABASE_JWT_SECRET / SUPABASE_URL): admin routes answer 503 until one is');
}

let closing = false;
closeOnSignals(async () => {
  closing = true;
  await app.close(); // waits for the routes being loaded, then closes them too
  await resources.close();
}, logger);
loadApi().catch((error: unknown) => {
  logger.fatal({ err: error }, 'calsync api could not load its routes');
  if (closing) return;
  void app.close().finally(() => process.exit(1));
});
