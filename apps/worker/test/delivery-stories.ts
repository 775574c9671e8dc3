import { createHash } from 'node:crypto';
import { type Delivery, lifecycle, lifecycleKinds } from '@calsync/cal-sim';
import { calBookings, calWebhookEvents, type Database } from '@calsync/db';
import { inArray } from 'drizzle-orm';
import fc from 'fast-check';

// Shared by the order tests: a "story" is one lifecycle's deliveries, applied in some order.

/**
 * Any arrival order, with copies: one lifecycle's deliveries (of any kind, any seed) shuffled, some sent twice.
 * `order` holds indices into `deliveries`.
 */
export const shuffledStory = fc
  .record({ kind: fc.constantFrom(...lifecycleKinds), seed: fc.integer({ min: 1, max: 1_000_000 }) })
  .chain(({ kind, seed }) => {
    const deliveries = lifecycle(kind, { seed });
    const indices = deliveries.map((_, i) => i);
    return fc
      .array(fc.constantFrom(...indices), { maxLength: 3 })
      .chain((copies) => fc.shuffledSubarray([...indices, ...copies], { minLength: indices.length + copies.length }))
      .map((order) => ({ kind, deliveries, order }));
  });

export const deliveryId = (d: { rawBody: string }) => createHash('sha256').update(d.rawBody).digest('hex');

/** Every uid a story touches: each delivery's own, and the old halves of reschedules. */
export function uidsOf(deliveries: Delivery[]): string[] {
  const uids = new Set<string>();
  for (const d of deliveries) {
    if (d.uid) uids.add(d.uid);
    const old = (d.body as { payload?: { rescheduleUid?: unknown } }).payload?.rescheduleUid;
    if (typeof old === 'string') uids.add(old);
  }
  return [...uids].sort();
}

/** The story's booking rows without their row-identity columns, in uid order: what two orders must agree on. */
export async function bookingRows(db: Database, uids: string[]) {
  const found = await db.select().from(calBookings).where(inArray(calBookings.calUid, uids));
  return found
    .map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest)
    .sort((a, b) => a.calUid.localeCompare(b.calUid));
}

/** Removes the story's rows so the next order starts from nothing. */
export async function forget(db: Database, deliveries: Delivery[], uids: string[]) {
  await db.delete(calBookings).where(inArray(calBookings.calUid, uids));
  await db.delete(calWebhookEvents).where(inArray(calWebhookEvents.id, deliveries.map(deliveryId)));
}
