import { closeOnSignals, createResources, loadEnvOrExit, loggerOptions, migrateOrExit } from '@calsync/service-kit';
import { pino } from 'pino';
import { loadApiEnv } from './env.ts';

// `pnpm --filter @calsync/api start`: the API alone, for scaled deployments.
const env = loadEnvOrExit('calsync api', loadApiEnv);
const logger = pino(loggerOptions(env.LOG_LEVEL));
// The routes' modules load while the database migrates (waiting on PostgreSQL): the two overlap.
const [, { buildApiApp }] = await Promise.all([migrateOrExit(env.DATABASE_URL, logger), import('./app.ts')]);

const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync-api',
});
const app = await buildApiApp({ env, logger, resources });
await app.listen({ port: env.PORT, host: env.HOST });
if (!env.ADMIN_TOKEN && !env.SUPABASE_JWT_SECRET && !env.SUPABASE_URL) {
  logger.warn('ADMIN_TOKEN is not set (nor SUPABASE_JWT_SECRET / SUPABASE_URL): admin routes answer 503 until one is');
}

closeOnSignals(async () => {
  await app.close();
  await resources.close();
}, logger);
