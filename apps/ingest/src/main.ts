import { buildBaseApp, closeOnSignals, createResources, EnvError, loggerOptions } from '@calsync/service-kit';
import { pino } from 'pino';
import { loadIngestEnv } from './env.ts';
import { ingestPlugin } from './plugin.ts';

// `pnpm --filter @calsync/ingest start`: ingest alone (scaled deployments). The database must be migrated.
let env: ReturnType<typeof loadIngestEnv>;
try {
  env = loadIngestEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`calsync ingest: ${error.message}`);
  process.exit(1);
}

const logger = pino(loggerOptions(env.LOG_LEVEL));
const resources = createResources({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  applicationName: 'calsync-ingest',
});
const app = await buildBaseApp({ logger, resources });
await app.register(ingestPlugin, { env });
await app.listen({ port: env.PORT, host: env.HOST });

closeOnSignals(async () => {
  await app.close();
  await resources.close();
}, logger);
