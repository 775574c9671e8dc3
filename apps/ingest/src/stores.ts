import { type Database, insertDeliveryRows } from '@calsync/db';
import { deliveryJob, deliverySeenKey, type WebhookQueue } from '@calsync/jobs';
import type { ChainableCommander } from 'ioredis';
import type { DeliveryStores, PendingDelivery } from './delivery-batcher.ts';

/** How long Redis remembers a delivery id for the duplicate verdict (Cal.com never re-sends, people rarely do later). */
export const DELIVERY_SEEN_TTL_S = 7 * 24 * 60 * 60;

/**
 * PostgreSQL (one multi-row insert) and Redis (one addBulk, with a pipeline of `SET … NX EX` seen-markers written
 * beside it on the same connection): ingest's two durable stores, each with its own duplicate verdict.
 */
export function durableStores(db: Database, queue: WebhookQueue, redisPrefix: string): DeliveryStores {
  return {
    insertRows: async (items: PendingDelivery[]) => {
      const records = items.map((d) => ({
        id: d.id,
        trigger_event: d.triggerEvent,
        booking_uid: d.bookingUid,
        sent_at: d.sentAt?.toISOString() ?? null,
        raw_body: d.rawBody,
        body_encoding: d.bodyEncoding ?? 'utf8',
        received_at: d.receivedAt,
      }));
      return await insertDeliveryRows(db, records);
    },
    enqueue: async (items: PendingDelivery[]) => {
      const client = await queue.getBackend().client;
      // BullMQ's client adapter types only the commands BullMQ uses; at run time it is ioredis's own pipeline.
      const marks = client.pipeline() as unknown as ChainableCommander;
      for (const d of items) marks.set(deliverySeenKey(redisPrefix, d.id), '1', 'EX', DELIVERY_SEEN_TTL_S, 'NX');
      const [marked, added] = await Promise.allSettled([
        marks.exec(),
        queue.addBulk(
          items.map((d) =>
            deliveryJob({
              deliveryId: d.id,
              rawBody: d.rawBody,
              bodyEncoding: d.bodyEncoding ?? 'utf8',
              receivedAt: d.receivedAt,
            }),
          ),
        ),
      ]);
      const fresh = marked.status === 'fulfilled' ? freshIds(items, marked.value) : null;
      if (added.status === 'rejected') {
        // No job: a marker we just set would call a later copy (a retry after a 503) a duplicate. Best effort.
        if (fresh && fresh.size > 0) {
          client.del(...[...fresh].map((id) => deliverySeenKey(redisPrefix, id))).catch(() => {});
        }
        throw added.reason;
      }
      if (marked.status === 'rejected') throw marked.reason;
      if (!fresh) throw new Error('Redis did not answer the delivery-seen markers');
      return fresh;
    },
  };
}

/** The ids whose `SET NX` took (`OK`); a `null` reply means the marker was already there. */
function freshIds(items: PendingDelivery[], replies: Array<[Error | null, unknown]> | null): Set<string> | null {
  if (!replies) return null;
  const fresh = new Set<string>();
  for (const [i, d] of items.entries()) {
    const [error, reply] = replies[i] ?? [new Error('no reply'), null];
    if (error) return null;
    if (reply === 'OK') fresh.add(d.id);
  }
  return fresh;
}
