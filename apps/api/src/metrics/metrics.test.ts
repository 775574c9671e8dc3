import { recordDelivery } from '@calsync/service-kit';
import { parsePrometheusText, sampleValue, useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi, insertBooking } from '../../test/app.ts';

const env = useTestEnv();
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApi(env, { METRICS_TOKEN });
  await insertBooking(env, { status: 'cancelled' });
  await insertBooking(env, { status: 'cancelled' });
  await insertBooking(env, { status: 'pending' });
});
afterAll(async () => {
  await app?.close();
});

async function scrape(headers: Record<string, string> = adminHeaders) {
  const response = await app.inject({ url: '/metrics', headers });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(response.body);
}

describe('/metrics', () => {
  it('opens for the admin token and for METRICS_TOKEN only', async () => {
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).statusCode,
    ).toBe(401);
    await scrape({ authorization: `Bearer ${METRICS_TOKEN}` });
    await scrape(adminHeaders);
  });

  it('is closed (503) when neither ADMIN_TOKEN nor METRICS_TOKEN is set', async () => {
    const closed = await buildTestApi(env, { ADMIN_TOKEN: undefined });
    try {
      expect((await closed.inject('/metrics')).statusCode).toBe(503);
    } finally {
      await closed.close();
    }
  });

  it('parses as Prometheus text and declares every calsync metric', async () => {
    const parsed = await scrape();
    const expected = {
      calsync_webhook_deliveries_total: 'counter',
      calsync_ingest_duration_seconds: 'histogram',
      calsync_queue_jobs: 'gauge',
      calsync_job_duration_seconds: 'histogram',
      calsync_cal_requests_total: 'counter',
      calsync_cal_budget_remaining: 'gauge',
      calsync_sync_run_duration_seconds: 'histogram',
      calsync_sync_rows_total: 'counter',
      calsync_bookings: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) expect([name, parsed.types.get(name)]).toEqual([name, type]);
  });

  it('collects bookings by status, queue counts and the budget at scrape time', async () => {
    const parsed = await scrape();
    expect(sampleValue(parsed, 'calsync_bookings', { status: 'cancelled' })).toBe(2);
    expect(sampleValue(parsed, 'calsync_bookings', { status: 'pending' })).toBe(1);
    expect(sampleValue(parsed, 'calsync_bookings', { status: 'completed' })).toBe(0);
    expect(sampleValue(parsed, 'calsync_queue_jobs', { queue: 'webhooks', state: 'waiting' })).toBe(0);
    expect(sampleValue(parsed, 'calsync_cal_budget_remaining')).toBe(100);
    await insertBooking(env, { status: 'pending' });
    expect(sampleValue(await scrape(), 'calsync_bookings', { status: 'pending' })).toBe(2);
  });

  it('shows the delivery counter moving', async () => {
    const labels = { trigger: 'BOOKING_CREATED', outcome: 'accepted' };
    const before = sampleValue(await scrape(), 'calsync_webhook_deliveries_total', labels) ?? 0;
    recordDelivery('BOOKING_CREATED', 'accepted');
    recordDelivery('not a trigger {"}', 'accepted');
    const after = await scrape();
    expect(sampleValue(after, 'calsync_webhook_deliveries_total', labels)).toBe(before + 1);
    expect(sampleValue(after, 'calsync_webhook_deliveries_total', { trigger: 'other' })).toBeGreaterThanOrEqual(1);
  });
});

describe('parsePrometheusText', () => {
  it('refuses malformed lines', () => {
    expect(() => parsePrometheusText('# TYPE x countr\n')).toThrow(/unknown type/);
    expect(() => parsePrometheusText('x{a="1" 1\n')).toThrow(/bad sample|bad labels/);
    expect(() => parsePrometheusText('x one\n')).toThrow(/bad value/);
    expect(parsePrometheusText('x{a="q\\"",b="2"} 3\n').samples).toEqual([
      { name: 'x', labels: { a: 'q"', b: '2' }, value: 3 },
    ]);
  });
});
