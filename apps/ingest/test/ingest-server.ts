import type { AddressInfo } from 'node:net';
import { buildBaseApp, createResources } from '@calsync/service-kit';
import type { TestEnv } from '@calsync/test-support';
import { pino } from 'pino';
import { ingestPlugin } from '../src/plugin.ts';

/** The webhook settings the ingest plugin reads. */
export interface IngestWebhookEnv {
  CAL_WEBHOOK_SECRET?: string[];
  CAL_WEBHOOK_ALLOW_UNSIGNED: boolean;
}

/**
 * Starts ingest alone on a free local port over the test file's database and Redis prefix; pushes its closing onto
 * `closers` and returns its base URL.
 */
export async function startIngestServer(
  env: TestEnv,
  webhookEnv: IngestWebhookEnv,
  closers: Array<() => Promise<void>>,
): Promise<string> {
  const resources = createResources({
    databaseUrl: env.databaseUrl,
    redisUrl: env.redisUrl,
    redisPrefix: env.redisPrefix,
  });
  const app = await buildBaseApp({ logger: pino({ level: 'silent' }), resources });
  await app.register(ingestPlugin, { env: webhookEnv });
  await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(async () => {
    await app.close();
    await resources.close();
  });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
