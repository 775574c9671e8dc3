import {
  buildBaseApp,
  closeOnSignals,
  createResources,
  loadEnvOrExit,
  loggerOptions,
  metricsRoutePlugin,
  migrateOrExit,
} from '@calsync/service-kit';
import { pino } from 'pino';
import { loadWorkerEnv } from './env.ts';

// `pnpm --filter @calsync/worker start`: the worker alone, for scaled deployments (any number of them).
const env = loadEnvOrExit('calsync worker', loadWorkerEnv);
const logger = pino(loggerOptions(env.LOG_LEVEL));
// The worker's modules load while the database migrates (waiting on PostgreSQL): the two overlap.
const [, { startWorker }] = await Promise.all([migrateOrExit(env.DATABASE_URL, logger), import('./start-worker.ts')]);

const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync-worker',
});
// With METRICS_PORT: this worker's own counters (jobs, Cal.com requests, syncs) and health, for a scraper and probes.
// Listening first: a port in use stops the worker before it takes any job.
const metricsApp =
  env.METRICS_PORT === undefined ? undefined : await buildBaseApp({ logger, resources, trustProxy: env.TRUST_PROXY });
if (metricsApp) {
  await metricsApp.register(metricsRoutePlugin, { metricsToken: env.METRICS_TOKEN, adminToken: env.ADMIN_TOKEN });
  await metricsApp.listen({ port: env.METRICS_PORT, host: env.HOST });
}
const worker = await startWorker({ env, resources, logger });
logger.info('worker started');

closeOnSignals(async () => {
  await metricsApp?.close();
  await worker.close();
  await resources.close();
}, logger);
