import { type Database, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';

/** A delivery taken for sending, with what the message needs. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  /** The claim's fence: only the claim with this count may record the outcome. */
  attempts: number;
  url: string;
  /** The current secret, then the previous one while its overlap lasts. */
  secrets: string[];
  /** The Change as `GET /admin/api/changes` gives it; null when retention already removed it. */
  change: Record<string, unknown> | null;
}

interface ClaimRow {
  id: string;
  endpoint_id: string;
  attempts: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  change_id: string | null;
  type: string | null;
  occurred_at: string | null;
  subject: Record<string, unknown> | null;
  changed: Record<string, unknown> | null;
}

/**
 * Takes up to `limit` due deliveries of active endpoints and marks them `sending` with a lease. A delivery waits while
 * an earlier one of its booking (or event type) for the same endpoint is pending or sending, so each booking's
 * messages arrive in order while other bookings go on. SKIP LOCKED lets several workers claim side by side without
 * sending one delivery twice at once; the lease hands a delivery of a worker that died to the next claim.
 */
export async function claimDue(db: Database, now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  // Timestamps go to PostgreSQL as ISO text: the shared client leaves dates to Drizzle.
  const at = now.toISOString();
  const rows = await queryRows<ClaimRow>(
    db,
    sql`
    with due as (
      select d.id from outbound_deliveries d
      join outbound_endpoints e on e.id = d.endpoint_id and e.status = 'active'
      where d.status in ('pending', 'sending') and d.next_attempt_at <= ${at}::timestamptz
        and not exists (
          select 1 from outbound_deliveries earlier
          where earlier.endpoint_id = d.endpoint_id and earlier.order_key = d.order_key
            and earlier.change_id < d.change_id and earlier.status in ('pending', 'sending'))
      order by d.next_attempt_at, d.change_id
      limit ${limit}
      for update of d skip locked
    ),
    claimed as (
      update outbound_deliveries d
      set status = 'sending', attempts = d.attempts + 1,
          next_attempt_at = ${at}::timestamptz + ${leaseMs} * interval '1 millisecond'
      from due where d.id = due.id
      returning d.id, d.endpoint_id, d.change_id, d.attempts
    )
    select claimed.id, claimed.endpoint_id, claimed.attempts, e.url, e.secret,
      case when e.previous_secret_expires_at > ${at}::timestamptz then e.previous_secret end as previous_secret,
      c.id::text as change_id, c.type, calsync_iso(c.occurred_at) as occurred_at, c.subject, c.changed
    from claimed
    join outbound_endpoints e on e.id = claimed.endpoint_id
    left join cal_changes c on c.id = claimed.change_id
    order by claimed.change_id`,
  );
  return rows.map((row) => ({
    id: row.id,
    endpoint_id: row.endpoint_id,
    attempts: row.attempts,
    url: row.url,
    secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
    change: row.change_id ? toChange(row) : null,
  }));
}

// The same shape as the api's change feed (CONTRACT, "The change feed"): the subject under `booking` or `event_type`.
function toChange(row: ClaimRow): Record<string, unknown> {
  const subjectKey = row.type?.startsWith('booking.') ? 'booking' : 'event_type';
  return {
    id: row.change_id,
    type: row.type,
    occurred_at: row.occurred_at,
    [subjectKey]: row.subject,
    changed: row.changed,
  };
}
