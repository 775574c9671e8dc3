import { type Database, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';
import type { ClaimedDelivery } from './claim.ts';
import type { PostResult } from './post-webhook.ts';
import { delayAfterFailure } from './retry-schedule.ts';

export type Outcome = 'delivered' | 'retry' | 'failed' | 'superseded';

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
      update outbound_deliveries d
      set status = x.status, next_attempt_at = x.next_attempt_at,
          delivered_at = case when x.ok then ${at}::timestamptz end,
          last_status_code = x.status_code, last_error = x.error
      from input x
      where d.id = x.id and d.status = 'sending' and d.attempts = x.attempts
      returning d.id, d.endpoint_id, x.ok
    ),
    attempt as (
      insert into outbound_attempts (delivery_id, attempted_at, status_code, error, duration_ms)
      select x.id, x.started_at, x.status_code, x.error, x.duration_ms from input x join delivery using (id)
      returning 1
    ),
    per_endpoint as (select endpoint_id, bool_or(ok) as any_ok from delivery group by endpoint_id),
    endpoint as (
      update outbound_endpoints e
      set failing_since = case when p.any_ok then null else coalesce(e.failing_since, ${at}::timestamptz) end,
          status = case when not p.any_ok and e.failing_since <= ${pauseBefore}::timestamptz
            then 'paused' else e.status end,
          paused_reason = case when not p.any_ok and e.status = 'active' and e.failing_since <= ${pauseBefore}::timestamptz
            then 'failing since ' || calsync_iso(e.failing_since) || ' without one success' else e.paused_reason end
      from per_endpoint p
      -- A success on a healthy endpoint changes nothing: skip the write.
      where e.id = p.endpoint_id and (not p.any_ok or e.failing_since is not null)
      returning 1
    )
    select id from delivery`,
  );
  const done = new Set(recorded.map((r) => r.id));
  return records.map((r) => (done.has(r.delivery.id) ? outcomeOf(r) : 'superseded'));
}
