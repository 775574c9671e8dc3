import { deliveryJob, openWebhookQueue, workerConnection } from '@calsync/jobs';
import { metricsRegistry } from '@calsync/service-kit';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { UnrecoverableError, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createScrapeCollectors } from './collectors.ts';

const env = useTestEnv();

describe('calsync_failed_deliveries', () => {
  it('counts failed rows (postgres) and failed jobs with no row (redis)', async () => {
    await env.sql`insert into cal_webhook_events (id, trigger_event, raw_body, status)
      values (${'e'.repeat(64)}, 'BOOKING_CREATED', '{}', 'failed')`;
    const queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
    const worker = new Worker(
      queue.name,
      async () => {
        throw new UnrecoverableError('job stalled more than allowable limit');
      },
      { connection: workerConnection(env.redisUrl), prefix: env.redisPrefix },
    );
    try {
      await queue.addBulk([
        deliveryJob({ deliveryId: 'f'.repeat(64), rawBody: '{}', receivedAt: new Date().toISOString() }),
      ]);
      await waitUntil(
        'the failed job',
        () => queue.getFailedCount(),
        (n) => n >= 1,
        { timeoutMs: 10_000 },
      );
    } finally {
      await worker.close();
      await queue.close();
    }
    const collectors = createScrapeCollectors({ ...env, rateLimit: 100 });
    try {
      expect(await collectors.collect()).toEqual([]);
    } finally {
      await collectors.close();
    }
    const gauge = await metricsRegistry.getSingleMetric('calsync_failed_deliveries')!.get();
    const byStore = Object.fromEntries(gauge.values.map((v) => [v.labels.store, v.value]));
    expect(byStore).toEqual({ postgres: 1, redis: 1 });
  });
});
