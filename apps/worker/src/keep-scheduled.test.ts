import { producerConnection } from '@calsync/jobs';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepScheduled } from './keep-scheduled.ts';

const env = useTestEnv();
let queue: Queue;

beforeAll(() => {
  queue = new Queue('keep-scheduled', {
    prefix: env.redisPrefix,
    connection: producerConnection(env.redisUrl, { failFast: false }),
  });
});
afterAll(async () => {
  await queue.close();
});

describe('keepScheduled', () => {
  it('creates the schedulers, leaves existing ones alone, and puts back one that Redis lost', async () => {
    let upserts = 0;
    const upsert = () => {
      upserts += 1;
      return queue.upsertJobScheduler('tick', { every: 3_600_000 }, { name: 'tick', data: {} });
    };
    const stop = await keepScheduled(
      queue,
      [{ id: 'tick', upsert }],
      (error) => {
        throw error;
      },
      100,
    );
    try {
      expect(await queue.getJobScheduler('tick')).toBeTruthy();
      await new Promise((r) => setTimeout(r, 350));
      expect(upserts).toBe(1);

      // What FLUSHALL does to it: the scheduler is gone.
      await queue.removeJobScheduler('tick');
      await waitUntil('the tick scheduler put back', () => queue.getJobScheduler('tick'));
      expect(upserts).toBe(2);
    } finally {
      stop();
    }
  });
});
