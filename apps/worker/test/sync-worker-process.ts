// Test fixture, not part of the worker: one sync worker in its own process, so a test can SIGKILL it mid-run.
// Usage: node sync-worker-process.ts '<json: databaseUrl, redisUrl, redisPrefix, calApiUrl, calApiKey, rateLimit,
// windowMs, lockDurationMs, stalledIntervalMs>'; prints "ready" once it takes jobs.
import { createResources } from '@calsync/service-kit';
import { pino } from 'pino';
import { loadWorkerEnv } from '../src/env.ts';
import { startSyncProcessing } from '../src/sync/index.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as Record<string, string | number>;
const env = loadWorkerEnv({
  CAL_API_URL: String(config.calApiUrl),
  CAL_API_KEY: String(config.calApiKey),
  CAL_API_RATE_LIMIT: String(config.rateLimit),
});
const resources = createResources({
  databaseUrl: String(config.databaseUrl),
  redisUrl: String(config.redisUrl),
  redisPrefix: String(config.redisPrefix),
});
await startSyncProcessing(
  { env, resources, logger: pino({ level: 'silent' }) },
  {
    budgetWindowMs: Number(config.windowMs),
    lockDurationMs: Number(config.lockDurationMs),
    stalledIntervalMs: Number(config.stalledIntervalMs),
    schedules: false,
  },
);
process.stdout.write('ready\n');
