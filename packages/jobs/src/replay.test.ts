import { useTestEnv, waitUntil } from '@calsync/test-support';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerConnection } from './connection.ts';
import { deliveryJob, openWebhookQueue, type WebhookQueue } from './queues.ts';
import { replayDelivery, replayFailed } from './replay.ts';

const env = useTestEnv();
let queue: WebhookQueue;
beforeAll(() => {
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => await queue.close());

/** Fails jobs through a real worker, as a job stalled past the limit ends before its row was stored. */
async function failRowlessJobs(ids: string[]) {
  await queue.addBulk(
    ids.map((id) => deliveryJob({ deliveryId: id, rawBody: '{}', receivedAt: new Date().toISOString() })),
  );
  const worker = new Worker(
    queue.name,
    async () => {
      throw new UnrecoverableError('job stalled more than allowable limit');
    },
    { connection: workerConnection(env.redisUrl), prefix: env.redisPrefix },
  );
  await waitUntil(
    `${ids.length} failed jobs`,
    () => queue.getFailedCount(),
    (n) => n >= ids.length,
    { timeoutMs: 10_000 },
  );
  await worker.close();
}

describe('replay of a delivery whose only copy is a failed job', () => {
  it('replay <id> and replay --failed add the job again instead of answering not-found', async () => {
    const [one, two] = ['1'.repeat(64), '2'.repeat(64)];
    await failRowlessJobs([one, two]);
    expect(await replayDelivery({ db: env.db, queue }, one)).toEqual({
      status: 'requeued',
      id: one,
      previousJobState: 'failed',
    });
    expect(await queue.getJobState(one)).toBe('waiting');
    expect(await replayFailed({ db: env.db, queue })).toEqual([
      { status: 'requeued', id: two, previousJobState: 'failed' },
    ]);
    expect(await queue.getJobState(two)).toBe('waiting');
    expect(await replayDelivery({ db: env.db, queue }, '3'.repeat(64))).toEqual({
      status: 'not-found',
      id: '3'.repeat(64),
    });
  });
});
