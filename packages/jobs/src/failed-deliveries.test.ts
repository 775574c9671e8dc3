import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failDeliveryJobs } from '../test/failed-jobs.ts';
import { countFailedDeliveries } from './failed-deliveries.ts';
import { openWebhookQueue, type WebhookQueue } from './queues.ts';

const env = useTestEnv();
let queue: WebhookQueue;
beforeAll(() => {
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => await queue.close());

const ids = { failedRow: 'a'.repeat(64), rowless: 'b'.repeat(64), processedRow: 'c'.repeat(64) };

describe('countFailedDeliveries', () => {
  it('counts failed rows and failed jobs with no row, each delivery once', async () => {
    await env.sql`insert into cal_webhook_events (id, trigger_event, raw_body, status)
      values (${ids.failedRow}, 'BOOKING_CREATED', '{}', 'failed'), (${ids.processedRow}, 'BOOKING_CREATED', '{}', 'processed')`;
    await failDeliveryJobs(queue, env, [ids.failedRow, ids.rowless, ids.processedRow]);
    expect(await countFailedDeliveries(env)).toEqual({ rows: 1, jobsWithoutRow: 1, total: 2 });
  });
});
