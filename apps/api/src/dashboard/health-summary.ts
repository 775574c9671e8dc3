import { createRateBudget } from '@calsync/cal-client';
import { calSyncRuns, calWebhookEvents, type Database, queryRow } from '@calsync/db';
import { calBudgetKeyPrefix, countFailedDeliveries } from '@calsync/jobs';
import { checkRedisDurability, type RedisDurability } from '@calsync/service-kit';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';

/** The dashboard's health strip (also `pnpm calsync status`). Times are ISO strings, or null when never. */
export interface HealthSummary {
  webhooksLast24h: number;
  /** Every failed delivery wherever its only copy is: `failed` rows, plus failed jobs whose row does not exist. */
  failedDeliveries: number;
  /** Of those, failed jobs in Redis with no row (null when Redis did not answer: only rows were counted). */
  failedDeliveriesWithoutRow: number | null;
  /** Whether Redis keeps acknowledged deliveries across a restart and under memory pressure. */
  redisDurability: RedisDurability;
  /** Deliveries stored but not yet applied, and the age of the oldest one (the queue's lag). */
  pendingDeliveries: number;
  queueLagSeconds: number;
  lastBookingsSync: string | null;
  lastReconcile: string | null;
  lastEventTypesSync: string | null;
  /** Rows the last successful reconciliation created or changed: what webhooks had missed. */
  reconcileCorrections: number | null;
  budget: { used: number; limit: number; pausedUntil: string | null } | null;
}

export interface HealthSources {
  db: Database;
  redis: Redis;
  redisPrefix: string;
  /** CAL_API_RATE_LIMIT: the budget's size. */
  rateLimit: number;
}

const w = calWebhookEvents;
const r = calSyncRuns;

/** One round trip for the database facts (each an index lookup); Redis for the budget, failed jobs and durability. */
export async function loadHealthSummary(sources: HealthSources): Promise<HealthSummary> {
  const { db } = sources;
  const row = await queryRow<{
    webhooks_24h: number;
    failed: number;
    pending: number;
    oldest_pending: string | null;
    last_bookings_sync: string | null;
    last_reconcile: string | null;
    last_event_types_sync: string | null;
    reconcile_corrections: number | null;
  }>(
    db,
    sql`select
      (select count(*)::int from ${w} where ${w.receivedAt} > now() - interval '24 hours') as webhooks_24h,
      (select count(*)::int from ${w} where ${w.status} = 'failed') as failed,
      (select count(*)::int from ${w} where ${w.status} = 'received') as pending,
      (select min(${w.receivedAt}) from ${w} where ${w.status} = 'received') as oldest_pending,
      ${lastFinished('bookings_sync')} as last_bookings_sync,
      ${lastFinished('reconcile')} as last_reconcile,
      ${lastFinished('event_types_sync')} as last_event_types_sync,
      (select ${r.rowsCreated} + ${r.rowsUpdated} from ${r} where ${r.kind} = 'reconcile' and ${r.status} = 'succeeded'
        order by ${r.finishedAt} desc nulls last limit 1) as reconcile_corrections`,
  );
  if (!row) throw new Error('the health query returned no row');
  const [failed, redisDurability] = await Promise.all([
    countFailedDeliveries(sources).catch(() => null),
    checkRedisDurability(sources.redis),
  ]);
  return {
    webhooksLast24h: row.webhooks_24h,
    failedDeliveries: failed?.total ?? row.failed,
    failedDeliveriesWithoutRow: failed?.jobsWithoutRow ?? null,
    redisDurability,
    pendingDeliveries: row.pending,
    queueLagSeconds: row.oldest_pending ? Math.max(0, (Date.now() - Date.parse(row.oldest_pending)) / 1000) : 0,
    lastBookingsSync: iso(row.last_bookings_sync),
    lastReconcile: iso(row.last_reconcile),
    lastEventTypesSync: iso(row.last_event_types_sync),
    reconcileCorrections: row.reconcile_corrections,
    budget: await budgetStatus(sources),
  };
}

function lastFinished(kind: string) {
  return sql`(select max(${r.finishedAt}) from ${r} where ${r.kind} = ${kind} and ${r.status} = 'succeeded')`;
}

function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** The shared Cal.com budget's use in the current window; null when Redis cannot say (the strip still renders). */
export async function budgetStatus(sources: HealthSources): Promise<HealthSummary['budget']> {
  try {
    const budget = createRateBudget({
      redis: sources.redis,
      keyPrefix: calBudgetKeyPrefix(sources.redisPrefix),
      limitPerMinute: sources.rateLimit,
    });
    const status = await budget.status();
    return {
      used: status.used,
      limit: status.limit,
      pausedUntil: status.pausedUntil === null ? null : new Date(status.pausedUntil).toISOString(),
    };
  } catch {
    return null;
  }
}
