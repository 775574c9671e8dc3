import { buildDelivery, makeBooking, signDelivery } from '@calsync/cal-sim';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerWithWorker, startServerWithWorker } from '../test/server-with-worker.ts';

const env = useTestEnv();
const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
const SECRET = 'metrics-test-secret';
let server: ServerWithWorker;
let app: FastifyInstance;

beforeAll(async () => {
  server = await startServerWithWorker(env, {
    CAL_WEBHOOK_SECRET: SECRET,
    METRICS_TOKEN,
    ADMIN_TOKEN: 'metrics-test-admin-token-0123456789',
  });
  app = server.app;
});
afterAll(async () => {
  await server?.close();
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

    await waitUntil(
      '3 processed deliveries counted by the worker',
      () => sample('calsync_webhook_deliveries_total', processed),
      (count) => count >= before.processed + 3,
      { intervalMs: 100 },
    );
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
