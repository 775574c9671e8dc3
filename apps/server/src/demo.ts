import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startCalSim } from '@calsync/cal-sim';
import { openSyncQueue, requestSync } from '@calsync/jobs';
import { closeOnSignals, createResources, loadEnvOrExit, loggerOptions, migrateOrExit } from '@calsync/service-kit';
import { startWorker } from '@calsync/worker';
import { pino } from 'pino';
import { buildServerApp } from './app.ts';
import { loadDemoEnv } from './demo/env.ts';
import { feedDeliveries } from './demo/feed-deliveries.ts';
import { screenshotDashboard } from './demo/screenshot.ts';
import { loadServerEnv } from './env.ts';

// `pnpm demo`: calsync plus the Cal.com simulator, which keeps booking, cancelling and rescheduling, so the dashboard
// fills within a minute. `pnpm demo --screenshot docs/dashboard.png` saves a screenshot once it has filled, then exits.
const { values: args } = parseArgs({ options: { screenshot: { type: 'string' } } });
const demo = loadEnvOrExit('calsync demo', loadDemoEnv, 2);

const logger = pino(loggerOptions(demo.LOG_LEVEL));
const sim = await startCalSim({ bookings: 300, seed: 7 });
const secret = `demo-secret-${randomBytes(8).toString('hex')}`;
const adminToken = randomBytes(18).toString('base64url');
const env = loadServerEnv({
  DATABASE_URL: demo.DATABASE_URL,
  REDIS_URL: demo.REDIS_URL,
  PORT: String(demo.PORT),
  HOST: '127.0.0.1',
  LOG_LEVEL: demo.LOG_LEVEL,
  CAL_API_URL: sim.url,
  CAL_API_KEY: sim.apiKey,
  CAL_WEBHOOK_SECRET: secret,
  ADMIN_TOKEN: adminToken,
  CAL_SYNC_EVERY: '1m',
});

await migrateOrExit(env.DATABASE_URL, logger);
const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  redisPrefix: 'calsync-demo',
  applicationName: 'calsync-demo',
});
const app = await buildServerApp({ env, logger, resources });
const worker = await startWorker({ env, resources, logger });
try {
  await app.listen({ port: env.PORT, host: env.HOST });
} catch (error) {
  console.error(
    `calsync demo: cannot listen on port ${env.PORT} (${(error as Error).message}); set PORT to a free one`,
  );
  await Promise.all([worker.close(), sim.close()]);
  await resources.close();
  process.exit(1);
}
const address = app.server.address();
const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : env.PORT}`;

// Bring in what the account already has, then let the feed add to it.
const syncQueue = openSyncQueue({ redisUrl: env.REDIS_URL, prefix: resources.redisPrefix });
await requestSync({ db: resources.db, queue: syncQueue }, 'event_types_sync', 'manual');
await requestSync({ db: resources.db, queue: syncQueue }, 'bookings_sync', 'manual');
await requestSync({ db: resources.db, queue: syncQueue }, 'reconcile', 'manual');
await syncQueue.close();
const feed = feedDeliveries({
  sim,
  webhookUrl: `${baseUrl}/cal-webhook`,
  secret,
  onError: (err) => logger.warn({ err }, 'demo delivery not sent'),
});

console.log(`
  calsync demo is running (Cal.com simulator at ${sim.url}, database ${new URL(env.DATABASE_URL).pathname.slice(1)})

    dashboard     ${baseUrl}/admin/calendar
    admin token   ${adminToken}
    queues        ${baseUrl}/admin/queues
    metrics       curl -H 'Authorization: Bearer ${adminToken}' ${baseUrl}/metrics

  Deliveries arrive a few per second. Ctrl-C stops everything.
`);

async function shutDown() {
  await feed.stop();
  await app.close();
  await worker.close();
  await resources.close();
  await sim.close();
}

if (args.screenshot) {
  // Wait for the feed to have filled the page, then take the picture and leave.
  const deadline = Date.now() + 120_000;
  while (feed.sent() < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  await screenshotDashboard({ baseUrl, adminToken, path: args.screenshot, chromiumPath: demo.CHROMIUM_PATH });
  console.log(`screenshot saved to ${args.screenshot}`);
  await shutDown();
  process.exit(0);
}
closeOnSignals(shutDown, logger);
