import { waitUntil } from '@calsync/test-support';
import { UnrecoverableError, Worker } from 'bullmq';
import { workerConnection } from '../src/connection.ts';
import { deliveryJob, type WebhookQueue } from '../src/queues.ts';

/** Where the queue's jobs live: the Redis URL and the test file's key prefix. */
export interface QueueRedis {
  redisUrl: string;
  redisPrefix: string;
}

/**
 * Fails delivery jobs for `deliveryIds` through a real worker, as a job stalled past the limit ends in BullMQ's failed
 * set, and waits until they are all there. No row is written: the caller adds one where the test wants it.
 */
export async function failDeliveryJobs(queue: WebhookQueue, redis: QueueRedis, deliveryIds: string[]): Promise<void> {
  await queue.addBulk(
    deliveryIds.map((deliveryId) => deliveryJob({ deliveryId, rawBody: '{}', receivedAt: new Date().toISOString() })),
  );
  const worker = new Worker(
    queue.name,
    async () => {
      throw new UnrecoverableError('job stalled more than allowable limit');
    },
    { connection: workerConnection(redis.redisUrl), prefix: redis.redisPrefix },
  );
  try {
    await waitUntil(
      `${deliveryIds.length} failed jobs`,
      () => queue.getFailedCount(),
      (n) => n >= deliveryIds.length,
      { timeoutMs: 10_000 },
    );
  } finally {
    await worker.close();
  }
}
