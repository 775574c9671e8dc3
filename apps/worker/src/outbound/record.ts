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
 * Records one try: the attempt row, the delivery's new state and the endpoint's failing window, in one transaction.
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
  return await sql.begin(async (tx) => {
    const updated = await tx`
      update outbound_deliveries
      set status = ${ok ? 'delivered' : delay === null ? 'failed' : 'pending'},
          delivered_at = ${ok ? at : null}::timestamptz,
          next_attempt_at = ${delay === null ? at : new Date(now.getTime() + delay).toISOString()}::timestamptz,
          last_status_code = ${result.statusCode ?? null}, last_error = ${result.error ?? null}
      where id = ${delivery.id} and status = 'sending' and attempts = ${delivery.attempts}
      returning id`;
    if (updated.length === 0) return 'superseded';
    await tx`
      insert into outbound_attempts (delivery_id, attempted_at, status_code, error, duration_ms)
      values (${delivery.id}, ${input.startedAt.toISOString()}::timestamptz, ${result.statusCode ?? null}, ${result.error ?? null},
        ${input.durationMs})`;
    if (ok) {
      await tx`update outbound_endpoints set failing_since = null
        where id = ${delivery.endpoint_id} and failing_since is not null`;
    } else {
      const pauseBefore = new Date(now.getTime() - input.pauseAfterMs).toISOString();
      await tx`
        update outbound_endpoints
        set failing_since = coalesce(failing_since, ${at}::timestamptz),
            status = case when coalesce(failing_since, ${at}::timestamptz) <= ${pauseBefore}::timestamptz then 'paused' else status end,
            paused_reason = case when status = 'active' and coalesce(failing_since, ${at}::timestamptz) <= ${pauseBefore}::timestamptz
              then 'failing since ' || calsync_iso(failing_since) || ' without one success' else paused_reason end,
            updated_at = ${at}::timestamptz
        where id = ${delivery.endpoint_id}`;
    }
    return outcome;
  });
}
