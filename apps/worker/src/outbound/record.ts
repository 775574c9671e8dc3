import type { Sql } from '@calsync/db';
import type { ClaimedDelivery } from './claim.ts';
import type { PostResult } from './post-webhook.ts';
import { delayAfterFailure } from './retry-schedule.ts';

export type Outcome = 'delivered' | 'retry' | 'failed' | 'superseded';

export interface RecordInput {
  delivery: ClaimedDelivery;
  result: PostResult;
  startedAt: Date;
  durationMs: number;
  now: Date;
  /** An endpoint failing this long without one success is paused. */
  pauseAfterMs: number;
}

/**
 * Records one try: the attempt row, the delivery's new state and the endpoint's failing window, in one statement.
 * Only the claim that is still current writes (`attempts` is the fence): a sender whose lease ran out and whose
 * delivery was taken again must not overwrite the newer outcome.
 */
export async function recordAttempt(sql: Sql, input: RecordInput): Promise<Outcome> {
  const { delivery, result, now } = input;
  const ok = result.error === undefined;
  const delay = ok ? null : delayAfterFailure(delivery.attempts);
  // Timestamps go to PostgreSQL as ISO text: the shared client leaves dates to Drizzle.
  const at = now.toISOString();
  const outcome: Outcome = ok ? 'delivered' : delay === null ? 'failed' : 'retry';
  const pauseBefore = new Date(now.getTime() - input.pauseAfterMs).toISOString();
  // One statement (its parts see one snapshot and commit together): a send costs the sender one round trip to record.
  const [row] = await sql<{ recorded: number }[]>`
    with delivery as (
      update outbound_deliveries
      set status = ${ok ? 'delivered' : delay === null ? 'failed' : 'pending'},
          delivered_at = ${ok ? at : null}::timestamptz,
          next_attempt_at = ${delay === null ? at : new Date(now.getTime() + delay).toISOString()}::timestamptz,
          last_status_code = ${result.statusCode ?? null}, last_error = ${result.error ?? null}
      where id = ${delivery.id} and status = 'sending' and attempts = ${delivery.attempts}
      returning id, endpoint_id
    ),
    attempt as (
      insert into outbound_attempts (delivery_id, attempted_at, status_code, error, duration_ms)
      select id, ${input.startedAt.toISOString()}::timestamptz, ${result.statusCode ?? null}, ${result.error ?? null},
        ${input.durationMs}
      from delivery
      returning 1
    ),
    endpoint as (
      update outbound_endpoints e
      set failing_since = case when ${ok} then null else coalesce(e.failing_since, ${at}::timestamptz) end,
          status = case when not ${ok} and coalesce(e.failing_since, ${at}::timestamptz) <= ${pauseBefore}::timestamptz
            then 'paused' else e.status end,
          paused_reason = case
            when not ${ok} and e.status = 'active' and e.failing_since <= ${pauseBefore}::timestamptz
            then 'failing since ' || calsync_iso(e.failing_since) || ' without one success' else e.paused_reason end
      from delivery
      where e.id = delivery.endpoint_id
        -- A success on a healthy endpoint changes nothing: skip the write.
        and (not ${ok} or e.failing_since is not null)
      returning 1
    )
    select count(*)::int as recorded from delivery`;
  return row?.recorded === 1 ? outcome : 'superseded';
}
