import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failDeliveryJobs } from '../test/failed-jobs.ts';
import { openWebhookQueue, type WebhookQueue } from './queues.ts';
import { replayDelivery, replayFailed } from './replay.ts';

const env = useTestEnv();
let queue: WebhookQueue;
beforeAll(() => {
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => await queue.close());

describe('replay of a delivery whose only copy is a failed job', () => {
  it('replay <id> and replay --failed add the job again instead of answering not-found', async () => {
    const [one, two] = ['1'.repeat(64), '2'.repeat(64)];
    await failDeliveryJobs(queue, env, [one, two]);
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
