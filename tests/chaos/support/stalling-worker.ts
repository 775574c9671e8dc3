import { deliveryJob, openWebhookQueue, queueNames, workerConnection } from '@calsync/jobs';
import { waitUntil } from '@calsync/test-support';
import { UnrecoverableError, Worker } from 'bullmq';

/** The BullMQ prefix of a calsync process started without one (`resources.redisPrefix`'s default). */
export const CALSYNC_PREFIX = 'calsync';
/** calsync's worker allows as many stalls (apps/worker `STALL_RECOVERY`). */
const MAX_STALLED_COUNT = 20;

/**
 * A worker that takes every webhook job and dies with it, again and again: each job's lock runs out and BullMQ's
 * stall check puts it back, as it would a job that crashed 20 worker processes in a row. Past `maxStalledCount` BullMQ
 * marks the job to fail ("job stalled more than allowable limit"): the next worker that takes it fails it without
 * running it. Resolves once all `count` jobs are so marked.
 */
export async function stallEveryJob(redisUrl: string, count: number, timeoutMs: number): Promise<void> {
  const staller = new Worker(queueNames.webhooks, null, {
    connection: workerConnection(redisUrl),
    prefix: CALSYNC_PREFIX,
    autorun: false,
    lockDuration: 300,
    stalledInterval: 300,
    maxStalledCount: MAX_STALLED_COUNT,
  });
  staller.on('error', () => {});
  const queue = openWebhookQueue({ redisUrl, prefix: CALSYNC_PREFIX });
  void staller.startStalledCheckTimer();
  let taken = 0;
  try {
    await waitUntil(
      `${count} jobs stalled past the limit`,
      async () => {
        // Take whatever is waiting and never finish it: the lock is not extended, so the job stalls.
        while (await staller.getNextJob(`staller-${taken}`, { block: false })) taken++;
        const jobs = await queue.getJobs(['wait', 'active']);
        return jobs.length === count && jobs.every((job) => job.stalledCounter > MAX_STALLED_COUNT);
      },
      undefined,
      { timeoutMs, intervalMs: 100 },
    );
  } finally {
    await staller.close(true);
    await queue.close();
  }
}

/** Fails every waiting webhook job at once, as jobs that used up their attempts while PostgreSQL was away did. */
export async function failEveryJob(redisUrl: string, count: number, timeoutMs: number): Promise<void> {
  const failer = new Worker(
    queueNames.webhooks,
    async () => {
      throw new UnrecoverableError('attempts exhausted while PostgreSQL was unreachable');
    },
    { connection: workerConnection(redisUrl), prefix: CALSYNC_PREFIX, concurrency: 50 },
  );
  const queue = openWebhookQueue({ redisUrl, prefix: CALSYNC_PREFIX });
  try {
    await waitUntil(
      `${count} failed jobs`,
      () => queue.getFailedCount(),
      (failed) => failed >= count,
      { timeoutMs, intervalMs: 100 },
    );
  } finally {
    await failer.close();
    await queue.close();
  }
}

/** Adds jobs as ingest does when PostgreSQL refused the rows: Redis holds the only copy. */
export async function enqueueWithoutRows(
  redisUrl: string,
  deliveries: ReadonlyArray<{ id: string; rawBody: string }>,
): Promise<void> {
  const queue = openWebhookQueue({ redisUrl, prefix: CALSYNC_PREFIX });
  try {
    await queue.addBulk(
      deliveries.map((d) =>
        deliveryJob({ deliveryId: d.id, rawBody: d.rawBody, receivedAt: new Date().toISOString() }),
      ),
    );
  } finally {
    await queue.close();
  }
}
