// Test fixture, not part of the worker: the notifications part in its own process, so a test can SIGKILL it.
// Usage: node notifications-worker-process.ts '<json: databaseUrl, redisUrl, redisPrefix, smtpUrl, offsets>';
// prints "ready" once it ticks.
import { createResources } from '@calsync/service-kit';
import { pino } from 'pino';
import { loadWorkerEnv } from '../src/env.ts';
import { startNotifications } from '../src/notifications/index.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const env = loadWorkerEnv({
  SMTP_URL: config.smtpUrl,
  MAIL_FROM: 'Coaching <hello@example.com>',
  REMINDER_OFFSETS: config.offsets,
});
const resources = createResources({
  databaseUrl: String(config.databaseUrl),
  redisUrl: String(config.redisUrl),
  redisPrefix: String(config.redisPrefix),
});
await startNotifications(
  { env, resources, logger: pino({ level: 'silent' }) },
  { tickEveryMs: 100, sendEveryMs: 100, fullPassEveryMs: 300, policy: { leaseMs: 5_000 } },
);
process.stdout.write('ready\n');
