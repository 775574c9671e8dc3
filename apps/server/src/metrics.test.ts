import { buildDelivery, makeBooking, signDelivery } from '@calsync/cal-sim';
import { resourcesOf, useTestEnv } from '@calsync/test-support';
import { type RunningWorker, startWorker } from '@calsync/worker';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerApp } from './app.ts';
import { loadServerEnv } from './env.ts';

const env = useTestEnv();
const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
const SECRET = 'metrics-test-secret';
let app: FastifyInstance;
let worker: RunningWorker;

beforeAll(async () => {
  const serverEnv = loadServerEnv({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    CAL_WEBHOOK_SECRET: SECRET,
    METRICS_TOKEN,
    ADMIN_TOKEN: 'metrics-test-admin-token-0123456789',
  });
  const resources = resourcesOf(env);
  const logger = pino({ level: 'silent' });
  app = await buildServerApp({ env: serverEnv, logger, resources });
  worker = await startWorker({ env: serverEnv, resources, logger });
});
afterAll(async () => {
  await app?.close();
  await worker?.close();
});

/** The value of one sample, checking on the way that every line is well-formed Prometheus text. */
async function sample(name: string, labels: Record<string, string>): Promise<number> {
  const response = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.statusCode).toBe(200);
  const sampleLine =
    /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?[0-9.e+-]+|[+-]Inf|NaN$/;
  for (const line of response.body.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    expect(line).toMatch(sampleLine);
  }
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = response.body.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function send(rawBody: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/cal-webhook',
    headers: signDelivery(rawBody, SECRET),
    payload: rawBody,
  });
  expect(response.statusCode).toBe(202);
}

describe('/metrics counts real deliveries', () => {
  it('moves the delivery counters at ingest and when the worker applies them', async () => {
    const accepted = { trigger: 'BOOKING_CREATED', outcome: 'accepted' };
    const processed = { trigger: 'BOOKING_CREATED', outcome: 'processed' };
    const before = {
      accepted: await sample('calsync_webhook_deliveries_total', accepted),
      duplicate: await sample('calsync_webhook_deliveries_total', { trigger: 'BOOKING_CREATED', outcome: 'duplicate' }),
      processed: await sample('calsync_webhook_deliveries_total', processed),
      latency: await sample('calsync_ingest_duration_seconds_count', { status: '202' }),
    };
    const deliveries = [1, 2, 3].map((seed) => buildDelivery('BOOKING_CREATED', makeBooking({}, 9_000 + seed)));
    for (const d of deliveries) await send(d.rawBody);
    await send(deliveries[0]!.rawBody); // the same bytes again: a duplicate

    expect(await sample('calsync_webhook_deliveries_total', accepted)).toBe(before.accepted + 3);
    expect(await sample('calsync_webhook_deliveries_total', { trigger: 'BOOKING_CREATED', outcome: 'duplicate' })).toBe(
      before.duplicate + 1,
    );
    expect(await sample('calsync_ingest_duration_seconds_count', { status: '202' })).toBe(before.latency + 4);

    const deadline = Date.now() + 20_000;
    while ((await sample('calsync_webhook_deliveries_total', processed)) < before.processed + 3) {
      if (Date.now() > deadline) throw new Error('the worker did not count 3 processed deliveries within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(
      await sample('calsync_job_duration_seconds_count', { queue: 'webhooks', outcome: 'completed' }),
    ).toBeGreaterThanOrEqual(3);
    // Past start times are applied as `completed`, future ones as `scheduled`.
    const applied =
      (await sample('calsync_bookings', { status: 'scheduled' })) +
      (await sample('calsync_bookings', { status: 'completed' }));
    expect(applied).toBe(3);
  });
});
