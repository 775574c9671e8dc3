import { createHash } from 'node:crypto';
import { lifecycle } from '@calsync/cal-sim';
import { calBookings, calWebhookEvents } from '@calsync/db';
import { deliveryJob, openWebhookQueue, type WebhookQueue } from '@calsync/jobs';
import { closedPortUrl, useTestEnv, waitUntil } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, testResources, waitForEvents } from '../../test/pipeline-harness.ts';

const env = useTestEnv();
let queue: WebhookQueue;
beforeAll(() => {
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => await queue.close());

describe('a delivery that Redis alone acknowledged, while PostgreSQL stays away', () => {
  it('keeps its job past 8 tries, then lands once PostgreSQL is back', {
    timeout: 90_000,
  }, async () => {
    const [created] = lifecycle('book', { seed: 71 });
    const id = createHash('sha256').update(created!.rawBody).digest('hex');
    // What ingest enqueues when PostgreSQL refused the row: the job is the only copy.
    const job = deliveryJob({ deliveryId: id, rawBody: created!.rawBody, receivedAt: new Date().toISOString() });
    await queue.addBulk([job]);
    // As if PostgreSQL had already been away through 7 tries (a minute and more): BullMQ keeps the count in `atm`.
    await env.redis.hset(`${env.redisPrefix}:${queue.name}:${id}`, 'atm', '7');

    const unreachable = testResources(env, { databaseUrl: await closedPortUrl('postgres') });
    const blind = await startTestWorker(unreachable, { retryMaxDelayMs: 20, sweepEveryMs: 60_000 });
    try {
      await waitUntil('the job to keep retrying', async () => ((await queue.getJob(id))?.attemptsMade ?? 0) > 9);
      expect(await queue.getJobState(id)).not.toBe('failed');
    } finally {
      await blind.close();
      await unreachable.close();
    }
    expect(await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, id))).toEqual([]);

    const resources = testResources(env);
    const worker = await startTestWorker(resources, { retryMaxDelayMs: 20 });
    try {
      const [row] = await waitForEvents(env, [id], { timeoutMs: 20_000 });
      expect(row!.status).toBe('processed');
      const [booking] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, created!.uid!));
      expect(booking?.status).toBe('scheduled');
    } finally {
      await worker.close();
      await resources.close();
    }
  });
});
