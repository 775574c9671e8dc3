import { closeOnSignals, createResources, loadEnvOrExit, loggerOptions, migrateOrExit } from '@calsync/service-kit';
import type { RunningWorker } from '@calsync/worker';
import { pino } from 'pino';
import { loadServerEnv } from './env.ts';
import { quietMoment } from './quiet-moment.ts';

// `pnpm start`: ingest + api + worker in one process until SIGINT/SIGTERM. Cal.com does not resend a delivery refused
// while the process starts, so it listens as soon as ingest can take deliveries and loads the rest afterwards:
//   1. the configuration; the migrations, while ingest's modules load (PostgreSQL's round trips overlap them);
//   2. listening: ingest and /healthz answer (/readyz answers 503 until step 3 is done);
//   3. in the first quiet moment (loading blocks the process for a few hundred ms, and deliveries come first): the
//      API's routes (the functions, admin, dashboards, /metrics), which answer 503 "starting" until then;
//   4. the worker: its queues, schedules and jobs (deliveries stored meanwhile wait in the queue);
//   5. the job of a reconciliation that adopting the original tables left queued.
// A signal during 3–5 lets the step in progress finish, starts no further one and closes what has started; before 2
// it ends the process at once (nothing needs closing then: migrations run in a transaction).
const env = loadEnvOrExit('calsync', loadServerEnv);
const logger = pino(loggerOptions(env.LOG_LEVEL));
const [, { buildIngestFirstApp }] = await Promise.all([migrateOrExit(env.DATABASE_URL, logger), import('./app.ts')]);
const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync',
});
const server = await buildIngestFirstApp({ env, logger, resources });
await server.app.listen({ port: env.PORT, host: env.HOST });

let closing = false;
let worker: RunningWorker | undefined;
const startingTheRest = startTheRest();
const close = async () => {
  closing = true;
  await startingTheRest.catch(() => {}); // a failure is logged below
  await server.app.close();
  await worker?.close();
  await resources.close();
};
closeOnSignals(close, logger);
startingTheRest.catch(async (error: unknown) => {
  logger.fatal({ err: error }, 'calsync could not start');
  if (closing) return; // a signal is closing it already
  await close();
  process.exit(1);
});

async function startTheRest() {
  await quietMoment(server.app.server, { quietMs: 50, atMostMs: 1_000 });
  if (closing) return;
  await server.loadApi();
  if (closing) return;
  const { startWorker } = await import('@calsync/worker');
  if (closing) return;
  worker = await startWorker({ env, resources, logger });
  if (closing) return;
  const { queueAdoptionReconcile } = await import('./adoption-reconcile.ts');
  await queueAdoptionReconcile(resources, logger);
}
