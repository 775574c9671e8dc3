import type { AddressInfo } from 'node:net';
import { type Delivery, sendDelivery } from '@calsync/cal-sim';
import { ingestPlugin } from '@calsync/ingest';
import { buildBaseApp, createResources, type Resources } from '@calsync/service-kit';
import type { TestEnv } from '@calsync/test-support';
import { waitUntil } from '@calsync/test-support';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { loadWorkerEnv } from '../src/env.ts';
import type { RunningWorker } from '../src/start-worker.ts';
import { startWebhookProcessing, type WebhookProcessingOptions } from '../src/webhooks/index.ts';

// Test support for the webhook pipeline (not a test file): real ingest over HTTP, real worker, real stores.

export const TEST_SECRET = 'whsec_pipeline_test';
const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Resources on the test file's database and Redis prefix, with either URL overridable (an outage). */
export function testResources(env: TestEnv, urls: { databaseUrl?: string; redisUrl?: string } = {}) {
  return createResources({
    databaseUrl: urls.databaseUrl ?? env.databaseUrl,
    redisUrl: urls.redisUrl ?? env.redisUrl,
    redisPrefix: env.redisPrefix,
    dbPoolSize: 4,
  });
}

/** Ingest listening on a free port; `url` is its /cal-webhook. */
export async function startIngest(resources: Resources, secrets: string[] = [TEST_SECRET]) {
  const app = await buildBaseApp({ logger: silent, resources });
  await app.register(ingestPlugin, { env: { CAL_WEBHOOK_SECRET: secrets, CAL_WEBHOOK_ALLOW_UNSIGNED: false } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}/cal-webhook` };
}

export async function startTestWorker(
  resources: Resources,
  options: WebhookProcessingOptions = {},
): Promise<RunningWorker> {
  return await startWebhookProcessing({ env: loadWorkerEnv({}), resources, logger: silent }, options);
}

/** Ingest + worker on the test file's services; `close` stops both and their connections. */
export async function startPipeline(env: TestEnv, options: WebhookProcessingOptions = {}) {
  const resources = testResources(env);
  const ingest = await startIngest(resources);
  const worker = await startTestWorker(resources, options);
  return {
    url: ingest.url,
    close: async () => {
      await ingest.app.close();
      await worker.close();
      await resources.close();
    },
  };
}

/**
 * Waits until every delivery id is done (processed, ignored, unrecognized) or failed; throws with their states at the
 * deadline.
 */
export async function waitForEvents(
  env: TestEnv,
  ids: string[],
  options: { timeoutMs?: number; states?: string[] } = {},
) {
  const states = options.states ?? ['processed', 'ignored', 'unrecognized', 'failed'];
  return await waitUntil(
    `${new Set(ids).size} deliveries to be ${states.join(' or ')}`,
    async () =>
      (await env.db.execute(
        sql`select id, status from cal_webhook_events where id = any(${`{${ids.join(',')}}`}::text[])`,
      )) as unknown as Array<{ id: string; status: string }>,
    (rows) => rows.length === new Set(ids).size && rows.every((r) => states.includes(r.status)),
    { timeoutMs: options.timeoutMs ?? 15_000 },
  );
}

/** Sends deliveries one by one over HTTP to ingest at `url`, as Cal.com does, and waits until all are applied. */
export async function deliverAndWait(env: TestEnv, url: string, deliveries: Delivery[]) {
  const ids: string[] = [];
  for (const delivery of deliveries) {
    const answer = await sendDelivery(url, delivery, TEST_SECRET);
    if (answer.status !== 202) throw new Error(`ingest answered ${answer.status}: ${answer.body}`);
    ids.push(JSON.parse(answer.body).id);
  }
  return await waitForEvents(env, ids);
}
