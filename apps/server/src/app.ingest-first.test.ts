import { buildDelivery, makeBooking, signDelivery } from '@calsync/cal-sim';
import { resourcesOf, useTestEnv } from '@calsync/test-support';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildIngestFirstApp } from './app.ts';
import { loadServerEnv } from './env.ts';

const env = useTestEnv();
const SECRET = 'ingest-first-test-secret';
const ADMIN_TOKEN = 'ingest-first-admin-token-0123456789';
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function ingestFirst() {
  return buildIngestFirstApp({
    env: loadServerEnv({ DATABASE_URL: env.databaseUrl, CAL_WEBHOOK_SECRET: SECRET, ADMIN_TOKEN }),
    logger: pino({ level: 'silent' }),
    resources: resourcesOf(env),
  });
}

function delivery(seed: number) {
  const { rawBody } = buildDelivery('BOOKING_CREATED', makeBooking({}, seed));
  return { method: 'POST' as const, url: '/cal-webhook', headers: signDelivery(rawBody, SECRET), payload: rawBody };
}

describe('the all-in-one app, ingest first (pnpm start listens before the API has loaded)', () => {
  it('takes deliveries and answers /healthz while the API loads; its routes answer 503 "starting", not 404', async () => {
    const { app, loadApi } = await ingestFirst();
    try {
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      expect((await app.inject(delivery(71_001))).statusCode).toBe(202);
      // Not ready for a load balancer until every route answers.
      expect((await app.inject('/readyz')).statusCode).toBe(503);

      const starting = await app.inject({ url: '/cal-bookings', headers: asAdmin });
      expect(starting.statusCode).toBe(503);
      expect(starting.headers['retry-after']).toBe('1');
      expect(starting.json().error.code).toBe('not_ready');
      expect((await app.inject({ method: 'POST', url: '/functions/v1/cal-event-types', payload: {} })).statusCode).toBe(
        503,
      );

      await loadApi();
      expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready' });
      expect((await app.inject({ url: '/cal-bookings', headers: asAdmin })).statusCode).toBe(200);
      // A body reaches the API unread: its own parser reads it.
      const eventTypes = await app.inject({
        method: 'POST',
        url: '/functions/v1/cal-event-types',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(eventTypes.json()).toEqual({ event_types: [] });
      expect((await app.inject('/no-such-route')).json().error.code).toBe('not_found');
      expect((await app.inject(delivery(71_002))).statusCode).toBe(202);
    } finally {
      await app.close();
    }
  });

  it('closes cleanly while the API is still loading (a signal during the start)', async () => {
    const { app, loadApi } = await ingestFirst();
    const loading = loadApi();
    await app.close();
    await loading;
  });
});
