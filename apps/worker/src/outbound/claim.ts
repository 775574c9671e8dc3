import { calChanges, columnName, type Database, outboundDeliveries, outboundEndpoints, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

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

const d = alias(outboundDeliveries, 'd');
const earlier = alias(outboundDeliveries, 'earlier');
const e = alias(outboundEndpoints, 'e');
const c = alias(calChanges, 'c');

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
      select ${d.id} as id from ${outboundDeliveries} ${d}
      join ${outboundEndpoints} ${e} on ${e.id} = ${d.endpointId} and ${e.status} = 'active'
      where ${d.status} in ('pending', 'sending') and ${d.nextAttemptAt} <= ${at}::timestamptz
        and not exists (
          select 1 from ${outboundDeliveries} ${earlier}
          where ${earlier.endpointId} = ${d.endpointId} and ${earlier.orderKey} = ${d.orderKey}
            and ${earlier.changeId} < ${d.changeId} and ${earlier.status} in ('pending', 'sending'))
      order by ${d.nextAttemptAt}, ${d.changeId}
      limit ${limit}
      for update of ${d} skip locked
    ),
    claimed as (
      update ${outboundDeliveries} ${d}
      set ${columnName(d.status)} = 'sending', ${columnName(d.attempts)} = ${d.attempts} + 1,
          ${columnName(d.nextAttemptAt)} = ${at}::timestamptz + ${leaseMs} * interval '1 millisecond'
      from due where ${d.id} = due.id
      returning ${d.id} as id, ${d.endpointId} as endpoint_id, ${d.changeId} as change_id, ${d.attempts} as attempts
    )
    select claimed.id, claimed.endpoint_id, claimed.attempts, ${e.url}, ${e.secret},
      case when ${e.previousSecretExpiresAt} > ${at}::timestamptz then ${e.previousSecret} end as previous_secret,
      ${c.id}::text as change_id, ${c.type}, calsync_iso(${c.occurredAt}) as occurred_at, ${c.subject}, ${c.changed}
    from claimed
    join ${outboundEndpoints} ${e} on ${e.id} = claimed.endpoint_id
    left join ${calChanges} ${c} on ${c.id} = claimed.change_id
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
