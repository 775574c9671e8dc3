import { createHash } from 'node:crypto';
import { type Delivery, lifecycle, lifecycleKinds } from '@calsync/cal-sim';
import { calBookings, calWebhookEvents } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDeliveries } from './apply-batch.ts';
import { DeliveryApplyBatcher } from './apply-batcher.ts';
import { applyDelivery, UnusableDeliveryError } from './apply-delivery.ts';

const env = useTestEnv();

const deliveryId = (d: Delivery | { rawBody: string }) => createHash('sha256').update(d.rawBody).digest('hex');
const jobData = (d: Delivery) => ({ deliveryId: deliveryId(d), rawBody: d.rawBody, receivedAt: d.createdAt });

function uidsOf(deliveries: Delivery[]): string[] {
  const uids = new Set<string>();
  for (const d of deliveries) {
    if (d.uid) uids.add(d.uid);
    const old = (d.body as { payload?: { rescheduleUid?: unknown } }).payload?.rescheduleUid;
    if (typeof old === 'string') uids.add(old);
  }
  return [...uids].sort();
}

async function rows(uids: string[]) {
  const found = await env.db.select().from(calBookings).where(inArray(calBookings.calUid, uids));
  return found
    .map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest)
    .sort((a, b) => a.calUid.localeCompare(b.calUid));
}

async function forget(deliveries: Delivery[], uids: string[]) {
  await env.db.delete(calBookings).where(inArray(calBookings.calUid, uids));
  await env.db.delete(calWebhookEvents).where(inArray(calWebhookEvents.id, deliveries.map(deliveryId)));
}

/** What ingest does before the worker sees a job: the event row, `received`. */
async function storeEvents(deliveries: Delivery[]) {
  for (const d of deliveries) {
    await env.db.execute(sql`insert into cal_webhook_events (id, trigger_event, booking_uid, raw_body, received_at)
      values (${deliveryId(d)}, ${d.triggerEvent}, ${d.uid}, ${d.rawBody}, ${d.createdAt}::timestamptz)`);
  }
}

const story = fc
  .record({ kind: fc.constantFrom(...lifecycleKinds), seed: fc.integer({ min: 1, max: 1_000_000 }) })
  .chain(({ kind, seed }) => {
    const deliveries = lifecycle(kind, { seed });
    return fc.shuffledSubarray(deliveries, { minLength: deliveries.length }).map((order) => ({ deliveries, order }));
  });

describe('applyDeliveries (several deliveries in one transaction)', () => {
  it('ends a lifecycle applied as one batch, in any order, in the same rows as one by one in order', async () => {
    await fc.assert(
      fc.asyncProperty(story, async ({ deliveries, order }) => {
        const uids = uidsOf(deliveries);
        await forget(deliveries, uids);
        for (const d of deliveries) await applyDelivery(env.db, jobData(d));
        const expected = await rows(uids);
        await forget(deliveries, uids);
        await storeEvents(order);
        const results = await applyDeliveries(env.db, order.map(jobData));
        expect(results.every((r) => r.status === 'processed' || r.status === 'ignored')).toBe(true);
        expect(await rows(uids)).toEqual(expected);
        expect(await applyDeliveries(env.db, order.map(jobData))).toEqual(
          order.map(() => ({ status: 'already-done' })),
        );
      }),
      { numRuns: 20 },
    );
  });

  it('lets one delivery that cannot apply fail alone while the rest of its batch lands', async () => {
    const good = [lifecycle('book', { seed: 4_001 })[0]!, lifecycle('book', { seed: 4_002 })[0]!];
    const bad = {
      ...good[0]!,
      rawBody: '{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-01-15T12:00:00Z","payload":7}',
    };
    await storeEvents([...good, bad]);
    const batcher = new DeliveryApplyBatcher(env.db);
    const outcomes = await Promise.allSettled([...good, bad].map((d) => batcher.apply(jobData(d))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(UnusableDeliveryError);
    expect(await rows(good.map((d) => d.uid!))).toHaveLength(2);
  });
});
