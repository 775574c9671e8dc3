import { migrate } from '@calsync/db';
import { closeOnSignals, createResources, EnvError, loggerOptions } from '@calsync/service-kit';
import { startWorker } from '@calsync/worker';
import { pino } from 'pino';
import { buildServerApp } from './app.ts';
import { loadServerEnv } from './env.ts';

// `pnpm start`: migrate, then ingest + api + worker in one process until SIGINT/SIGTERM.
let env: ReturnType<typeof loadServerEnv>;
try {
  env = loadServerEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`calsync: ${error.message}`);
  process.exit(1);
}

const logger = pino(loggerOptions(env.LOG_LEVEL));
try {
  const { databaseCreated } = await migrate(env.DATABASE_URL);
  logger.info({ databaseCreated }, 'database migrated');
} catch (error) {
  logger.fatal({ err: error }, `cannot migrate the database at DATABASE_URL (${new URL(env.DATABASE_URL).host})`);
  process.exit(1);
}

const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync',
});
const app = await buildServerApp({ env, logger, resources });
const worker = await startWorker({ env, resources, logger });
await app.listen({ port: env.PORT, host: env.HOST });

closeOnSignals(async () => {
  await app.close();
  await worker.close();
  await resources.close();
}, logger);
