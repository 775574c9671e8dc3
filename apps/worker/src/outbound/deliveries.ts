import {
  calChanges,
  columnName,
  type Database,
  execute,
  outboundAttempts,
  outboundDeliveries,
  queryRow,
  queryRows,
} from '@calsync/db';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isUuid } from './endpoints.ts';

/** A delivery as the admin API lists it, with every try. */
export interface DeliveryView {
  id: string;
  change_id: string;
  change_type: string | null;
  booking_uid: string | null;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  tries: { at: string; status_code: number | null; error: string | null; duration_ms: number }[];
}

const d = alias(outboundDeliveries, 'd');
const c = alias(calChanges, 'c');
const a = alias(outboundAttempts, 'a');

/** An endpoint's deliveries, newest first (at most `limit`), optionally only one status. */
export async function listDeliveries(
  db: Database,
  endpointId: string,
  options: { limit?: number; status?: string } = {},
): Promise<DeliveryView[]> {
  if (!isUuid(endpointId)) return [];
  return await queryRows<DeliveryView>(
    db,
    sql`
    select ${d.id}, ${d.changeId}::text as change_id, ${c.type} as change_type, ${c.bookingUid}, ${d.status},
      ${d.attempts},
      case when ${d.status} in ('pending', 'sending') then calsync_iso(${d.nextAttemptAt}) end as next_attempt_at,
      ${d.lastStatusCode}, ${d.lastError}, calsync_iso(${d.createdAt}) as created_at,
      calsync_iso(${d.deliveredAt}) as delivered_at,
      coalesce((select jsonb_agg(jsonb_build_object('at', calsync_iso(${a.attemptedAt}), 'status_code', ${a.statusCode},
          'error', ${a.error}, 'duration_ms', ${a.durationMs}) order by ${a.id})
        from ${outboundAttempts} ${a} where ${a.deliveryId} = ${d.id}), '[]'::jsonb) as tries
    from ${outboundDeliveries} ${d} left join ${calChanges} ${c} on ${c.id} = ${d.changeId}
    where ${d.endpointId} = ${endpointId} ${options.status ? sql`and ${d.status} = ${options.status}` : sql``}
    order by ${d.changeId} desc limit ${options.limit ?? 100}`,
  );
}

export type RetryResult = 'queued' | 'not_found' | 'not_failed';

/** Queues a `failed` delivery for one more try now. */
export async function retryDelivery(db: Database, endpointId: string, deliveryId: string): Promise<RetryResult> {
  if (!isUuid(endpointId) || !isUuid(deliveryId)) return 'not_found';
  const t = outboundDeliveries;
  const row = await queryRow<{ status: string }>(
    db,
    sql`
    select ${t.status} from ${t} where ${t.id} = ${deliveryId} and ${t.endpointId} = ${endpointId}`,
  );
  if (!row) return 'not_found';
  const queued = await execute(
    db,
    sql`
    update ${t} set ${columnName(t.status)} = 'pending', ${columnName(t.nextAttemptAt)} = now()
    where ${t.id} = ${deliveryId} and ${t.status} = 'failed'`,
  );
  return queued === 1 ? 'queued' : 'not_failed';
}
