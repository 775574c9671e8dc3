import { metricsRegistry } from '@calsync/service-kit';
import { useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { leaveFailedDeliveryJob } from '../../test/failed-job.ts';
import { createScrapeCollectors } from './collectors.ts';

const env = useTestEnv();

describe('calsync_failed_deliveries', () => {
  it('counts failed rows (postgres) and failed jobs with no row (redis)', async () => {
    await env.sql`insert into cal_webhook_events (id, trigger_event, raw_body, status)
      values (${'e'.repeat(64)}, 'BOOKING_CREATED', '{}', 'failed')`;
    await leaveFailedDeliveryJob(env, 'f'.repeat(64));
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
