import { closeOnSignals, createResources, EnvError, loggerOptions } from '@calsync/service-kit';
import { pino } from 'pino';
import { loadWorkerEnv } from './env.ts';
import { startWorker } from './start-worker.ts';

// `pnpm --filter @calsync/worker start`: the worker alone (scaled deployments). Run `pnpm db:migrate` first.
let env: ReturnType<typeof loadWorkerEnv>;
try {
  env = loadWorkerEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`calsync worker: ${error.message}`);
  process.exit(1);
}

const logger = pino(loggerOptions(env.LOG_LEVEL));
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
