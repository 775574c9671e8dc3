import { migrate } from '@calsync/db';
import { closeOnSignals, createResources, EnvError, loggerOptions } from '@calsync/service-kit';
import { pino } from 'pino';
import { buildApiApp } from './app.ts';
import { loadApiEnv } from './env.ts';

// `pnpm --filter @calsync/api start`: the API alone, for scaled deployments.
let env: ReturnType<typeof loadApiEnv>;
try {
  env = loadApiEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`calsync api: ${error.message}`);
  process.exit(1);
}

const logger = pino(loggerOptions(env.LOG_LEVEL));
try {
  await migrate(env.DATABASE_URL);
} catch (error) {
  logger.fatal({ err: error }, `cannot migrate the database at DATABASE_URL (${new URL(env.DATABASE_URL).host})`);
  process.exit(1);
}

const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync-api',
});
const app = await buildApiApp({ env, logger, resources });
await app.listen({ port: env.PORT, host: env.HOST });
if (!env.ADMIN_TOKEN) logger.warn('ADMIN_TOKEN is not set: admin routes answer 503 until it is');

closeOnSignals(async () => {
  await app.close();
  await resources.close();
}, logger);
