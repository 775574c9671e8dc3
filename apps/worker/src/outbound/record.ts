import {
  columnName,
  type Database,
  outboundAttempts,
  outboundDeliveries,
  outboundEndpoints,
  queryRows,
} from '@calsync/db';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ClaimedDelivery } from './claim.ts';
import type { PostResult } from './post-webhook.ts';
import { delayAfterFailure } from './retry-schedule.ts';

export type Outcome = 'delivered' | 'retry' | 'failed' | 'superseded';

const d = alias(outboundDeliveries, 'd');
const e = alias(outboundEndpoints, 'e');
const t = outboundAttempts;

export interface TryRecord {
  delivery: ClaimedDelivery;
  result: PostResult;
  startedAt: Date;
  durationMs: number;
}

/** The delivery's state after a try. */
function outcomeOf(record: TryRecord): Exclude<Outcome, 'superseded'> {
  if (record.result.error === undefined) return 'delivered';
  return delayAfterFailure(record.delivery.attempts) === null ? 'failed' : 'retry';
}

/**
 * Records tries: the attempt rows, the deliveries' new state and their endpoints' failing window, in one statement
 * (its parts commit together), so a busy sender pays one round trip and one commit per batch, not per message. Only
 * the claim that is still current writes (`attempts` is the fence): a sender whose lease ran out and whose delivery
 * was taken again must not overwrite the newer outcome. An endpoint with a success in the batch is not failing; one
 * whose tries all failed starts (or continues) its failing window and is paused once that is `pauseAfterMs` long.
 */
export async function recordTries(
  db: Database,
  records: TryRecord[],
  now: Date,
  pauseAfterMs: number,
): Promise<Outcome[]> {
  if (records.length === 0) return [];
  // Timestamps go to PostgreSQL as ISO text: the shared client leaves dates to Drizzle.
  const at = now.toISOString();
  const pauseBefore = new Date(now.getTime() - pauseAfterMs).toISOString();
  const rows = records.map((r) => {
    const outcome = outcomeOf(r);
    const delay = outcome === 'retry' ? delayAfterFailure(r.delivery.attempts)! : 0;
    return {
      id: r.delivery.id,
      attempts: r.delivery.attempts,
      ok: outcome === 'delivered',
      status: outcome === 'delivered' ? 'delivered' : outcome === 'failed' ? 'failed' : 'pending',
      next_attempt_at: new Date(now.getTime() + delay).toISOString(),
      status_code: r.result.statusCode ?? null,
      error: r.result.error ?? null,
      started_at: r.startedAt.toISOString(),
      duration_ms: r.durationMs,
    };
  });
  const recorded = await queryRows<{ id: string }>(
    db,
    sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, attempts int, ok boolean,
        status text, next_attempt_at timestamptz, status_code int, error text, started_at timestamptz, duration_ms int)
    ),
    delivery as (
      update ${outboundDeliveries} ${d}
      set ${columnName(d.status)} = x.status, ${columnName(d.nextAttemptAt)} = x.next_attempt_at,
          ${columnName(d.deliveredAt)} = case when x.ok then ${at}::timestamptz end,
          ${columnName(d.lastStatusCode)} = x.status_code, ${columnName(d.lastError)} = x.error
      from input x
      where ${d.id} = x.id and ${d.status} = 'sending' and ${d.attempts} = x.attempts
      returning ${d.id} as id, ${d.endpointId} as endpoint_id, x.ok
    ),
    attempt as (
      insert into ${t} (${columnName(t.deliveryId)}, ${columnName(t.attemptedAt)}, ${columnName(t.statusCode)},
        ${columnName(t.error)}, ${columnName(t.durationMs)})
      select x.id, x.started_at, x.status_code, x.error, x.duration_ms from input x join delivery using (id)
      returning 1
    ),
    per_endpoint as (select endpoint_id, bool_or(ok) as any_ok from delivery group by endpoint_id),
    endpoint as (
      update ${outboundEndpoints} ${e}
      set ${columnName(e.failingSince)} = case when p.any_ok then null
            else coalesce(${e.failingSince}, ${at}::timestamptz) end,
          ${columnName(e.status)} = case when not p.any_ok and ${e.failingSince} <= ${pauseBefore}::timestamptz
            then 'paused' else ${e.status} end,
          ${columnName(e.pausedReason)} = case when not p.any_ok and ${e.status} = 'active'
              and ${e.failingSince} <= ${pauseBefore}::timestamptz
            then 'failing since ' || calsync_iso(${e.failingSince}) || ' without one success' else ${e.pausedReason} end
      from per_endpoint p
      -- A success on a healthy endpoint changes nothing: skip the write.
      where ${e.id} = p.endpoint_id and (not p.any_ok or ${e.failingSince} is not null)
      returning 1
    )
    select id from delivery`,
  );
  const done = new Set(recorded.map((r) => r.id));
  return records.map((r) => (done.has(r.delivery.id) ? outcomeOf(r) : 'superseded'));
}
