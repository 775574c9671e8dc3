import { closeOnSignals, createResources, loadEnvOrExit, loggerOptions, migrateOrExit } from '@calsync/service-kit';
import { startWorker } from '@calsync/worker';
import { pino } from 'pino';
import { queueAdoptionReconcile } from './adoption-reconcile.ts';
import { buildServerApp } from './app.ts';
import { loadServerEnv } from './env.ts';

// `pnpm start`: migrate, then ingest + api + worker in one process until SIGINT/SIGTERM.
const env = loadEnvOrExit('calsync', loadServerEnv);
const logger = pino(loggerOptions(env.LOG_LEVEL));
await migrateOrExit(env.DATABASE_URL, logger);

const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync',
});
const app = await buildServerApp({ env, logger, resources });
const worker = await startWorker({ env, resources, logger });
await queueAdoptionReconcile(resources, logger);
await app.listen({ port: env.PORT, host: env.HOST });

closeOnSignals(async () => {
  await app.close();
  await worker.close();
  await resources.close();
}, logger);
