import { calSyncRuns, calWebhookEvents, type Database, notifications, queryRows } from '@calsync/db';
import { checkRedisDurability } from '@calsync/service-kit';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';

/** Something the owner should hear about, keyed so that the same problem is recognised on the next look. */
export interface Problem {
  /** Stable key: `deliveries_failed`, `sync_failed:reconcile`, `queue_lag`, `redis_volatile`, `emails_failed`. */
  key: string;
  summary: string;
  detail: string;
}

/** Deliveries waiting longer than this count as a lagging queue. */
export const QUEUE_LAG_LIMIT_MS = 5 * 60_000;

/** Everything wrong right now, read from the tables and Redis (so any worker sees the same problems). */
export async function findProblems(db: Database, redis: Redis): Promise<Problem[]> {
  const w = calWebhookEvents;
  const r = calSyncRuns;
  const n = notifications;
  const [deliveries] = await queryRows<{ failed: number; lagging: number; oldest: string | null }>(
    db,
    sql`
    select count(*) filter (where ${w.status} = 'failed')::int as failed,
           count(*) filter (where ${w.status} = 'received'
                            and ${w.receivedAt} < now() - ${QUEUE_LAG_LIMIT_MS} * interval '1 millisecond')::int as lagging,
           min(${w.receivedAt}) filter (where ${w.status} = 'received')::text as oldest
    from ${w} where ${w.status} in ('failed', 'received')`,
  );
  const syncs = await queryRows<{ kind: string; status: string; error: string | null; finished_at: string }>(
    db,
    sql`
    select distinct on (${r.kind}) ${r.kind}, ${r.status}, ${r.error}, ${r.finishedAt}::text as finished_at
    from ${r} where ${r.finishedAt} is not null
    order by ${r.kind}, finished_at desc`,
  );
  const [emails] = await queryRows<{ failed: number }>(
    db,
    sql`
    select count(*)::int as failed from ${n} where ${n.status} = 'failed' and ${n.kind} = 'reminder'`,
  );
  const problems: Problem[] = [];
  if (deliveries && deliveries.failed > 0) {
    problems.push({
      key: 'deliveries_failed',
      summary: `${deliveries.failed} webhook deliveries failed`,
      detail: 'Failed deliveries are listed on the calendar dashboard; replay them once the cause is fixed.',
    });
  }
  if (deliveries && deliveries.lagging > 0) {
    problems.push({
      key: 'queue_lag',
      summary: `${deliveries.lagging} webhook deliveries waiting more than 5 minutes`,
      detail: `The oldest was received at ${deliveries.oldest}. Check that a worker is running and Redis is reachable.`,
    });
  }
  for (const run of syncs) {
    if (run.status !== 'failed') continue;
    problems.push({
      key: `sync_failed:${run.kind}`,
      summary: `the last ${run.kind.replace('_', ' ')} failed`,
      detail: `It ended at ${run.finished_at}: ${(run.error ?? 'no error recorded').slice(0, 500)}`,
    });
  }
  if (emails && emails.failed > 0) {
    problems.push({
      key: 'emails_failed',
      summary: `${emails.failed} reminders could not be sent`,
      detail: 'They are listed on the Notifications page, where each can be retried.',
    });
  }
  const durability = await checkRedisDurability(redis);
  if (durability.durable === false) {
    problems.push({
      key: 'redis_volatile',
      summary: 'Redis may lose queued jobs',
      detail: `appendonly=${durability.appendonly}, maxmemory-policy=${durability.maxmemoryPolicy}; calsync needs appendonly yes and noeviction.`,
    });
  }
  return problems;
}
