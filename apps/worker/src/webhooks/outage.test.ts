import { type Delivery, lifecycle, sendDelivery } from '@calsync/cal-sim';
import { calBookings, calWebhookEvents } from '@calsync/db';
import { closedPortUrl, useTestEnv } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  startIngest,
  startTestWorker,
  TEST_SECRET,
  testResources,
  waitForEvents,
} from '../../test/pipeline-harness.ts';

const env = useTestEnv();

/** Sends one delivery to an ingest whose stores are at `urls` (one or both unreachable); the test's own stay up. */
async function sendThroughIngest(urls: { databaseUrl?: string; redisUrl?: string }, delivery: Delivery) {
  const resources = testResources(env, urls);
  const ingest = await startIngest(resources);
  try {
    return await sendDelivery(ingest.url, delivery, TEST_SECRET);
  } finally {
    await ingest.app.close();
    await resources.close();
  }
}

/** A worker with working stores, sweeping often so the test does not wait the production 5 s. */
async function withWorker<T>(run: () => Promise<T>): Promise<T> {
  const resources = testResources(env);
  const worker = await startTestWorker(resources, { sweepEveryMs: 200, sweepMinAgeMs: 200 });
  try {
    return await run();
  } finally {
    await worker.close();
    await resources.close();
  }
}

describe('ingest with a store down', () => {
  it('PostgreSQL unreachable: 202 from Redis alone, and the worker stores the row and lands the booking', async () => {
    const [created] = lifecycle('book', { seed: 31 });
    const answer = await sendThroughIngest({ databaseUrl: await closedPortUrl('postgres') }, created!);
    expect(answer.status, answer.body).toBe(202);
    const { id } = JSON.parse(answer.body);
    expect(await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, id))).toEqual([]);
    await withWorker(async () => {
      const [row] = await waitForEvents(env, [id]);
      expect(row!.status).toBe('processed');
    });
    const [booking] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, created!.uid!));
    expect(booking?.status).toBe('scheduled');
    const [event] = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, id));
    expect(event).toMatchObject({
      triggerEvent: 'BOOKING_CREATED',
      bookingUid: created!.uid,
      rawBody: created!.rawBody,
    });
  });

  it('Redis unreachable: 202 from PostgreSQL alone, and the sweeper enqueues the received row', async () => {
    const [created] = lifecycle('book', { seed: 32 });
    const answer = await sendThroughIngest({ redisUrl: await closedPortUrl('redis') }, created!);
    expect(answer.status, answer.body).toBe(202);
    const { id } = JSON.parse(answer.body);
    const [stored] = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, id));
    expect(stored?.status).toBe('received');
    await withWorker(async () => {
      const [row] = await waitForEvents(env, [id], { timeoutMs: 15_000 });
      expect(row!.status).toBe('processed');
    });
    const [booking] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, created!.uid!));
    expect(booking?.status).toBe('scheduled');
  });

  it('both unreachable: 503 service_unavailable', async () => {
    const [created] = lifecycle('book', { seed: 33 });
    const answer = await sendThroughIngest(
      { databaseUrl: await closedPortUrl('postgres'), redisUrl: await closedPortUrl('redis') },
      created!,
    );
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).error.code).toBe('service_unavailable');
  });
});
