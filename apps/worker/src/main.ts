import { closeOnSignals, createResources, loadEnvOrExit, loggerOptions, migrateOrExit } from '@calsync/service-kit';
import { pino } from 'pino';
import { loadWorkerEnv } from './env.ts';
import { startWorker } from './start-worker.ts';

// `pnpm --filter @calsync/worker start`: the worker alone, for scaled deployments (any number of them).
const env = loadEnvOrExit('calsync worker', loadWorkerEnv);
const logger = pino(loggerOptions(env.LOG_LEVEL));
await migrateOrExit(env.DATABASE_URL, logger);

const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync-worker',
});
const worker = await startWorker({ env, resources, logger });
logger.info('worker started');

closeOnSignals(async () => {
  await worker.close();
  await resources.close();
}, logger);
