import { createHash } from 'node:crypto';
import { type Delivery, lifecycle, lifecycleKinds } from '@calsync/cal-sim';
import { calBookings, calWebhookEvents } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelivery } from './apply-delivery.ts';

const env = useTestEnv();

const deliveryId = (d: Delivery) => createHash('sha256').update(d.rawBody).digest('hex');

/** Every uid a story touches: each delivery's own, and the old halves of reschedules. */
function uidsOf(deliveries: Delivery[]): string[] {
  const uids = new Set<string>();
  for (const d of deliveries) {
    if (d.uid) uids.add(d.uid);
    const old = (d.body as { payload?: { rescheduleUid?: unknown } }).payload?.rescheduleUid;
    if (typeof old === 'string') uids.add(old);
  }
  return [...uids].sort();
}

/** Applies deliveries one by one through the worker's apply path, then returns the rows (minus row-identity columns). */
async function applyInOrder(deliveries: Delivery[], uids: string[]) {
  for (const d of deliveries) {
    await applyDelivery(env.db, { deliveryId: deliveryId(d), rawBody: d.rawBody, receivedAt: d.createdAt });
  }
  const rows = await env.db.select().from(calBookings).where(inArray(calBookings.calUid, uids));
  return rows
    .map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest)
    .sort((a, b) => a.calUid.localeCompare(b.calUid));
}

async function forget(deliveries: Delivery[], uids: string[]) {
  await env.db.delete(calBookings).where(inArray(calBookings.calUid, uids));
  await env.db.delete(calWebhookEvents).where(inArray(calWebhookEvents.id, deliveries.map(deliveryId)));
}

const story = fc
  .record({ kind: fc.constantFrom(...lifecycleKinds), seed: fc.integer({ min: 1, max: 1_000_000 }) })
  .chain(({ kind, seed }) => {
    const deliveries = lifecycle(kind, { seed });
    const indices = deliveries.map((_, i) => i);
    return fc
      .array(fc.constantFrom(...indices), { maxLength: 3 })
      .chain((copies) => fc.shuffledSubarray([...indices, ...copies], { minLength: indices.length + copies.length }))
      .map((order) => ({ kind, deliveries, order }));
  });

describe('arrival order', () => {
  it('any permutation and duplication of a lifecycle ends in the same rows as in-order delivery', async () => {
    await fc.assert(
      fc.asyncProperty(story, async ({ deliveries, order }) => {
        const uids = uidsOf(deliveries);
        await forget(deliveries, uids);
        const expected = await applyInOrder(deliveries, uids);
        await forget(deliveries, uids);
        const actual = await applyInOrder(
          order.map((i) => deliveries[i]!),
          uids,
        );
        expect(actual).toEqual(expected);
        expect(actual).toHaveLength(uids.length);
      }),
      { numRuns: 25 },
    );
  });
});
