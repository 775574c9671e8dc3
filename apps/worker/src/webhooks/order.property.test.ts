import type { Delivery } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingRows, deliveryId, forget, shuffledStory, uidsOf } from '../../test/delivery-stories.ts';
import { applyDelivery } from './apply-delivery.ts';

const env = useTestEnv();

/** Applies deliveries one by one through the worker's apply path, then returns the rows (minus row-identity columns). */
async function applyInOrder(deliveries: Delivery[], uids: string[]) {
  for (const d of deliveries) {
    await applyDelivery(env.db, { deliveryId: deliveryId(d), rawBody: d.rawBody, receivedAt: d.createdAt });
  }
  return await bookingRows(env.db, uids);
}

describe('arrival order', () => {
  it('any permutation and duplication of a lifecycle ends in the same rows as in-order delivery', async () => {
    await fc.assert(
      fc.asyncProperty(shuffledStory, async ({ deliveries, order }) => {
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
