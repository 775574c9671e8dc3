import { closeOnSignals, createResources, loadEnvOrExit, loggerOptions, migrateOrExit } from '@calsync/service-kit';
import type { RunningWorker } from '@calsync/worker';
import { pino } from 'pino';
import { loadServerEnv } from './env.ts';

// `pnpm start`: migrate, then ingest + api + worker in one process until SIGINT/SIGTERM.
const env = loadEnvOrExit('calsync', loadServerEnv);
const logger = pino(loggerOptions(env.LOG_LEVEL));
// The HTTP routes' modules load while the database migrates (waiting on PostgreSQL): the two overlap.
const [, { buildServerApp }] = await Promise.all([migrateOrExit(env.DATABASE_URL, logger), import('./app.ts')]);

const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync',
});
const app = await buildServerApp({ env, logger, resources });
// Listening first: Cal.com does not resend a delivery that was refused while the worker's queues and schedulers were
// still being set up, and /healthz should say "alive" as soon as it can. Stored deliveries wait in the queue.
await app.listen({ port: env.PORT, host: env.HOST });

let worker: RunningWorker | undefined;
closeOnSignals(async () => {
  await app.close();
  await worker?.close();
  await resources.close();
}, logger);

const [{ startWorker }, { queueAdoptionReconcile }] = await Promise.all([
  import('@calsync/worker'),
  import('./adoption-reconcile.ts'),
]);
worker = await startWorker({ env, resources, logger });
await queueAdoptionReconcile(resources, logger);
