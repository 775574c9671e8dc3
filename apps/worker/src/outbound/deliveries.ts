import { type Database, execute, queryRow, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';
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
    select d.id, d.change_id::text as change_id, c.type as change_type, c.booking_uid, d.status, d.attempts,
      case when d.status in ('pending', 'sending') then calsync_iso(d.next_attempt_at) end as next_attempt_at,
      d.last_status_code, d.last_error, calsync_iso(d.created_at) as created_at,
      calsync_iso(d.delivered_at) as delivered_at,
      coalesce((select jsonb_agg(jsonb_build_object('at', calsync_iso(a.attempted_at), 'status_code', a.status_code,
          'error', a.error, 'duration_ms', a.duration_ms) order by a.id)
        from outbound_attempts a where a.delivery_id = d.id), '[]'::jsonb) as tries
    from outbound_deliveries d left join cal_changes c on c.id = d.change_id
    where d.endpoint_id = ${endpointId} ${options.status ? sql`and d.status = ${options.status}` : sql``}
    order by d.change_id desc limit ${options.limit ?? 100}`,
  );
}

export type RetryResult = 'queued' | 'not_found' | 'not_failed';

/** Queues a `failed` delivery for one more try now. */
export async function retryDelivery(db: Database, endpointId: string, deliveryId: string): Promise<RetryResult> {
  if (!isUuid(endpointId) || !isUuid(deliveryId)) return 'not_found';
  const row = await queryRow<{ status: string }>(
    db,
    sql`
    select status from outbound_deliveries where id = ${deliveryId} and endpoint_id = ${endpointId}`,
  );
  if (!row) return 'not_found';
  const queued = await execute(
    db,
    sql`
    update outbound_deliveries set status = 'pending', next_attempt_at = now()
    where id = ${deliveryId} and status = 'failed'`,
  );
  return queued === 1 ? 'queued' : 'not_failed';
}
