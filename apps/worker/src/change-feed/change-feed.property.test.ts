import type { Delivery } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveryId, forget, shuffledStory, uidsOf } from '../../test/delivery-stories.ts';
import { changesSince, currentSubjects, type FeedRow, feedMark } from '../../test/feed-reader.ts';
import { applyDelivery } from '../webhooks/apply-delivery.ts';

const env = useTestEnv();

async function apply(deliveries: Delivery[]) {
  for (const d of deliveries) {
    await applyDelivery(env.db, { deliveryId: deliveryId(d), rawBody: d.rawBody, receivedAt: d.createdAt });
  }
}

/**
 * Replays one booking's Changes as a consumer would: the first is its creation with the whole booking; every later
 * one names, per field, the value it had (`from`, which must be what the consumer holds) and the value it has now.
 */
function fold(changes: FeedRow[]): Record<string, unknown> {
  const [created, ...rest] = changes;
  expect(created?.type).toBe('booking.created');
  const state = { ...created!.subject };
  for (const change of rest) {
    expect(Object.keys(change.changed).length, change.type).toBeGreaterThan(0);
    for (const [field, { from, to }] of Object.entries(change.changed)) {
      expect(state[field], `${change.type} ${field}`).toEqual(from);
      state[field] = to;
    }
    expect(state).toEqual(change.subject);
  }
  return state;
}

describe('the change feed over any delivery order', () => {
  it("folding a booking's Changes gives its final row, and delivering everything again writes none", async () => {
    await fc.assert(
      fc.asyncProperty(shuffledStory, async ({ deliveries, order }) => {
        const uids = uidsOf(deliveries);
        await forget(env.db, deliveries, uids);
        const mark = await feedMark(env);
        await apply(order.map((i) => deliveries[i]!));

        const changes = await changesSince(env, mark);
        const rows = await currentSubjects(env, uids);
        for (const uid of Object.keys(rows)) {
          expect(fold(changes.filter((c) => c.booking_uid === uid))).toEqual(rows[uid]);
        }
        expect(new Set(changes.map((c) => c.booking_uid))).toEqual(new Set(Object.keys(rows)));

        const settled = await feedMark(env);
        await apply(deliveries);
        expect(await changesSince(env, settled)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
