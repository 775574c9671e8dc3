import { startOwnRedis, useTestEnv } from '@calsync/test-support';
import { Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { producerConnection, workerConnection } from './connection.ts';

const env = useTestEnv();

describe('queue connections', () => {
  it('a worker built on workerConnection runs what a producer built on producerConnection adds', async () => {
    const queue = new Queue('connection-check', {
      prefix: env.redisPrefix,
      connection: producerConnection(env.redisUrl, { failFast: true }),
    });
    const worker = new Worker('connection-check', async (job) => job.data.n * 2, {
      prefix: env.redisPrefix,
      connection: workerConnection(env.redisUrl),
    });
    try {
      const done = new Promise<unknown>((resolve) => worker.once('completed', (_job, result) => resolve(result)));
      await queue.add('double', { n: 21 });
      expect(await done).toBe(42);
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('a fail-fast producer rejects an add at once while Redis is down, instead of queueing it', async () => {
    const own = await startOwnRedis();
    const queue = new Queue('connection-check', {
      prefix: env.redisPrefix,
      connection: producerConnection(own.url, { failFast: true }),
    });
    queue.on('error', () => {});
    try {
      await queue.waitUntilReady();
      await own.stop();
      // The test's own timeout is the bound: a connection that queued the command would wait for Redis forever.
      await expect(queue.add('double', { n: 1 })).rejects.toThrow();
    } finally {
      await queue.close().catch(() => {});
    }
  });
});
