import { useTestEnv, waitUntil } from '@calsync/test-support';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerConnection } from './connection.ts';
import { countFailedDeliveries } from './failed-deliveries.ts';
import { deliveryJob, openWebhookQueue, type WebhookQueue } from './queues.ts';

const env = useTestEnv();
let queue: WebhookQueue;
beforeAll(() => {
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => await queue.close());

const ids = { failedRow: 'a'.repeat(64), rowless: 'b'.repeat(64), processedRow: 'c'.repeat(64) };

/** Fails the given jobs through a real worker, as a job stalled past the limit ends in BullMQ's failed set. */
async function failJobs(jobIds: string[]) {
  await queue.addBulk(
    jobIds.map((id) => deliveryJob({ deliveryId: id, rawBody: '{}', receivedAt: new Date().toISOString() })),
  );
  const worker = new Worker(
    queue.name,
    async () => {
      throw new UnrecoverableError('job stalled more than allowable limit');
    },
    { connection: workerConnection(env.redisUrl), prefix: env.redisPrefix },
  );
  await waitUntil(
    `${jobIds.length} failed jobs`,
    () => queue.getFailedCount(),
    (n) => n >= jobIds.length,
    { timeoutMs: 10_000 },
  );
  await worker.close();
}

describe('countFailedDeliveries', () => {
  it('counts failed rows and failed jobs with no row, each delivery once', async () => {
    await env.sql`insert into cal_webhook_events (id, trigger_event, raw_body, status)
      values (${ids.failedRow}, 'BOOKING_CREATED', '{}', 'failed'), (${ids.processedRow}, 'BOOKING_CREATED', '{}', 'processed')`;
    await failJobs([ids.failedRow, ids.rowless, ids.processedRow]);
    expect(await countFailedDeliveries(env)).toEqual({ rows: 1, jobsWithoutRow: 1, total: 2 });
  });
});
