import { createHash } from 'node:crypto';
import { lifecycle } from '@calsync/cal-sim';
import { calBookings, calWebhookEvents } from '@calsync/db';
import { deliveryJob, openWebhookQueue, replayDelivery, replayFailed, type WebhookQueue } from '@calsync/jobs';
import { useTestEnv } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, testResources, waitForEvents } from '../../test/pipeline-harness.ts';

const env = useTestEnv();
let queue: WebhookQueue;
let stop: () => Promise<void>;

beforeAll(async () => {
  const resources = testResources(env);
  const worker = await startTestWorker(resources);
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
  stop = async () => {
    await queue.close();
    await worker.close();
    await resources.close();
  };
});
afterAll(async () => await stop?.());

/**
 * Enqueues a delivery whose booking id another booking already holds (cal_booking_id is unique): every attempt fails
 * until that booking is gone. Two quick attempts keep the test short.
 */
async function enqueueBlocked(seed: number) {
  const [created] = lifecycle('book', { seed });
  const sim = created!.booking!;
  await env.db.insert(calBookings).values({ calUid: `blocker-${seed}`, calBookingId: String(sim.id) });
  const id = createHash('sha256').update(created!.rawBody).digest('hex');
  const job = deliveryJob({ deliveryId: id, rawBody: created!.rawBody, receivedAt: new Date().toISOString() });
  await queue.add(job.name, job.data, { ...job.opts, attempts: 2, backoff: { type: 'fixed', delay: 50 } });
  return {
    id,
    uid: sim.uid,
    unblock: () => env.db.delete(calBookings).where(eq(calBookings.calUid, `blocker-${seed}`)),
  };
}

describe('failed deliveries and replay', () => {
  it('a delivery that keeps failing ends `failed` with its error and attempts; replay applies it', async () => {
    const blocked = await enqueueBlocked(41);
    await waitForEvents(env, [blocked.id], { states: ['failed'] });
    const [failed] = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, blocked.id));
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed!.error).toMatch(/cal_booking_id|duplicate key/);

    await blocked.unblock();
    expect(await replayDelivery({ db: env.db, queue }, blocked.id)).toMatchObject({
      status: 'requeued',
      id: blocked.id,
    });
    await waitForEvents(env, [blocked.id], { states: ['processed'] });
    const [replayed] = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, blocked.id));
    expect(replayed).toMatchObject({ status: 'processed', attempts: 1, error: null });
    const [booking] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, blocked.uid));
    expect(booking?.status).toBe('scheduled');
  });

  it('replayFailed re-applies every failed delivery; an unknown id is reported not found', async () => {
    const first = await enqueueBlocked(42);
    const second = await enqueueBlocked(43);
    await waitForEvents(env, [first.id, second.id], { states: ['failed'] });
    await first.unblock();
    await second.unblock();
    const results = await replayFailed({ db: env.db, queue });
    expect(results.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
    await waitForEvents(env, [first.id, second.id], { states: ['processed'] });
    expect(await replayDelivery({ db: env.db, queue }, 'f'.repeat(64))).toEqual({
      status: 'not-found',
      id: 'f'.repeat(64),
    });
  });
});
