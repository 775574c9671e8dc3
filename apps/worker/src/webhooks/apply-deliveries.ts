import { type Database, lockDeliveryRows, markDeliveriesApplied, transaction } from '@calsync/db';
import type { ApplyDeliveryData } from '@calsync/jobs';
import { lockBookings } from '../bookings/lock-bookings.ts';
import {
  type ApplyResult,
  applyEffects,
  isFinished,
  parseJson,
  readDeliveryOrNull,
  resultOf,
} from './apply-delivery.ts';
import { type DeliveryEffect, mapDelivery } from './map-delivery.ts';

/**
 * Applies several deliveries in ONE transaction with the same steps as `applyDelivery`, each step one statement for
 * the whole batch: store missing event rows, lock them (id order), skip the applied ones, take the per-booking
 * advisory locks (uid order), run the merge rule over every upsert, record facts, mark the events. The merge rule
 * converges whatever the order, so deliveries of one booking in one batch end as they would one by one.
 * Throws when any delivery cannot apply: the caller then applies them one by one, so one bad delivery fails alone.
 */
export async function applyDeliveries(db: Database, batch: ApplyDeliveryData[]): Promise<ApplyResult[]> {
  const parsed = batch.map((data) => ({ data, delivery: readDeliveryOrNull(parseJson(data)) }));
  return await transaction(db, async (tx) => {
    // The summary columns come from ingest's row; a row the worker stores (PostgreSQL refused it at ingest) gets them
    // from the one-by-one path, which re-reads the envelope: so only ids already stored can be batched.
    const stored = await lockDeliveryRows(
      tx,
      batch.map((d) => d.deliveryId),
    );
    if (stored.length !== batch.length) throw new Error('some deliveries have no event row yet');
    const byId = new Map(stored.map((row) => [row.id, row]));

    const results: ApplyResult[] = [];
    const pending: Array<{ id: string; status: 'processed' | 'ignored' | 'unrecognized' }> = [];
    const effects: DeliveryEffect[] = [];
    const uids = new Set<string>();
    for (const { data, delivery } of parsed) {
      const row = byId.get(data.deliveryId)!;
      if (isFinished(row.status)) {
        results.push({ status: 'already-done' });
        continue;
      }
      const effect = delivery ? mapDelivery(delivery, new Date(Number(row.received_ms))) : null;
      const status = !delivery ? 'unrecognized' : effect ? 'processed' : 'ignored';
      pending.push({ id: data.deliveryId, status });
      results.push(resultOf(status, effect));
      if (!effect) continue;
      effects.push(effect);
      for (const uid of effect.uids) uids.add(uid);
    }
    await lockBookings(tx, uids);
    await applyEffects(tx, effects);
    if (pending.length > 0) await markDeliveriesApplied(tx, pending);
    return results;
  });
}
