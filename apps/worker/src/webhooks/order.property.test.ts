import { type Delivery, lifecycle, lifecycleKinds } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingRows, deliveryId, forget, uidsOf } from '../../test/delivery-stories.ts';
import { applyDelivery } from './apply-delivery.ts';

const env = useTestEnv();

/** Applies deliveries one by one through the worker's apply path, then returns the rows (minus row-identity columns). */
async function applyInOrder(deliveries: Delivery[], uids: string[]) {
  for (const d of deliveries) {
    await applyDelivery(env.db, { deliveryId: deliveryId(d), rawBody: d.rawBody, receivedAt: d.createdAt });
  }
  return await bookingRows(env.db, uids);
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
        await forget(env.db, deliveries, uids);
        const expected = await applyInOrder(deliveries, uids);
        await forget(env.db, deliveries, uids);
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
