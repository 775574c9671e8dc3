import type { Sql } from '@calsync/db';
import { deliveryJob, deliverySeenKey, type WebhookQueue } from '@calsync/jobs';
import type { ChainableCommander } from 'ioredis';
import type { DeliveryStores, PendingDelivery } from './delivery-batcher.ts';

// The worker may take the job from Redis and store the row from it before this insert runs (Redis usually answers
// first): such a row carries this very request's received_at (unique to the microsecond), so it is ours, not a
// duplicate (the no-op update makes RETURNING report it, and the primary key keeps it one row).
const INSERT_ROWS = `insert into cal_webhook_events
    (id, trigger_event, booking_uid, sent_at, raw_body, body_encoding, received_at)
  select id, trigger_event, booking_uid, sent_at, raw_body, body_encoding, received_at
  from json_to_recordset($1::json) as x(id text, trigger_event text, booking_uid text, sent_at timestamptz,
    raw_body text, body_encoding text, received_at timestamptz)
  on conflict (id) do update set received_at = excluded.received_at
    where cal_webhook_events.received_at = excluded.received_at
  returning id`;

/** How long Redis remembers a delivery id for the duplicate verdict (Cal.com never re-sends, people rarely do later). */
export const DELIVERY_SEEN_TTL_S = 7 * 24 * 60 * 60;

/**
 * PostgreSQL (one multi-row insert) and Redis (one addBulk, with a pipeline of `SET … NX EX` seen-markers written
 * beside it on the same connection): ingest's two durable stores, each with its own duplicate verdict.
 */
export function durableStores(sql: Sql, queue: WebhookQueue, redisPrefix: string): DeliveryStores {
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
      // Prepared (once per connection): postgres.js otherwise asks PostgreSQL for the parameter types first, one more
      // round trip and socket write per batch.
      const rows = await sql.unsafe<Array<{ id: string }>>(INSERT_ROWS, [JSON.stringify(records)], { prepare: true });
      return new Set(rows.map((row) => row.id));
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
