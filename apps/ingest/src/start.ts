import {
  buildBaseApp,
  checkRedisAtStart,
  closeOnSignals,
  createResources,
  loadEnvOrExit,
  loggerOptions,
  metricsRoutePlugin,
} from '@calsync/service-kit';
import { pino } from 'pino';
import { loadIngestEnv } from './env.ts';
import { ingestPlugin } from './plugin.ts';

// `pnpm --filter @calsync/ingest start`: ingest alone (scaled deployments), on a database already migrated.
// It does not migrate: ingest must start and take deliveries (into Redis) even while PostgreSQL is down.
const env = loadEnvOrExit('calsync ingest', loadIngestEnv);

const logger = pino(loggerOptions(env.LOG_LEVEL));
const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync-ingest',
});
// Ingest acknowledges deliveries through Redis alone while PostgreSQL is down: a Redis that may lose them is refused in
// production (ALLOW_VOLATILE_REDIS).
await checkRedisAtStart(resources.redis, env, logger).catch(async () => {
  await resources.close();
  process.exit(1);
});
const app = await buildBaseApp({ logger, resources, trustProxy: env.TRUST_PROXY });
await app.register(ingestPlugin, { env });
await app.register(metricsRoutePlugin, { metricsToken: env.METRICS_TOKEN, adminToken: env.ADMIN_TOKEN });
await app.listen({ port: env.PORT, host: env.HOST });

closeOnSignals(async () => {
  await app.close();
  await resources.close();
}, logger);
