import { deliveryJob, openWebhookQueue } from '@calsync/jobs';
import { useTestEnv } from '@calsync/test-support';
import { UnrecoverableError, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { loadHealthSummary } from './health-summary.ts';

const env = useTestEnv();

describe('the health strip', () => {
  it('counts a failed delivery whose only copy is a failed job in Redis, and says whether Redis is durable', async () => {
    const queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
    const worker = new Worker(
      queue.name,
      async () => {
        throw new UnrecoverableError('job stalled more than allowable limit');
      },
      { connection: { url: env.redisUrl, maxRetriesPerRequest: null }, prefix: env.redisPrefix },
    );
    try {
      await queue.addBulk([
        deliveryJob({ deliveryId: 'd'.repeat(64), rawBody: '{}', receivedAt: new Date().toISOString() }),
      ]);
      const deadline = Date.now() + 10_000;
      while ((await queue.getFailedCount()) < 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await worker.close();
      await queue.close();
    }
    const health = await loadHealthSummary({ ...env, rateLimit: 100 });
    expect(health).toMatchObject({ failedDeliveries: 1, failedDeliveriesWithoutRow: 1 });
    expect(typeof health.redisDurability.appendonly).toBe('string');
    expect(health.redisDurability.durable === true).toBe(health.redisDurability.warning === null);
  });
});
