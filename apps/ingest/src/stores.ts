import type { Sql } from '@calsync/db';
import { deliveryJob, type WebhookQueue } from '@calsync/jobs';
import type { DeliveryStores, PendingDelivery } from './delivery-batcher.ts';

// The worker may take the job from Redis and store the row from it before this insert runs: such a row carries this
// very request's received_at (unique to the microsecond), so it is ours, not a duplicate (the no-op update makes
// RETURNING report it).
const INSERT_ROWS = `insert into cal_webhook_events (id, trigger_event, booking_uid, sent_at, raw_body, received_at)
  select id, trigger_event, booking_uid, sent_at, raw_body, received_at
  from json_to_recordset($1::json) as x(id text, trigger_event text, booking_uid text, sent_at timestamptz,
    raw_body text, received_at timestamptz)
  on conflict (id) do update set received_at = excluded.received_at
    where cal_webhook_events.received_at = excluded.received_at
  returning id`;

/** PostgreSQL (one multi-row insert) and BullMQ (one addBulk): ingest's two durable stores. */
export function durableStores(sql: Sql, queue: WebhookQueue): DeliveryStores {
  return {
    insertRows: async (items: PendingDelivery[]) => {
      const records = items.map((d) => ({
        id: d.id,
        trigger_event: d.triggerEvent,
        booking_uid: d.bookingUid,
        sent_at: d.sentAt?.toISOString() ?? null,
        raw_body: d.rawBody,
        received_at: d.receivedAt,
      }));
      const rows = await sql.unsafe<Array<{ id: string }>>(INSERT_ROWS, [JSON.stringify(records)]);
      return new Set(rows.map((row) => row.id));
    },
    enqueue: async (items: PendingDelivery[]) => {
      await queue.addBulk(
        items.map((d) => deliveryJob({ deliveryId: d.id, rawBody: d.rawBody, receivedAt: d.receivedAt })),
      );
    },
  };
}
