import { eq, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { queryRow, queryRows } from './query.ts';
import { calWebhookEvents } from './schema/index.ts';

/** Reads of `cal_webhook_events` for the failed-delivery count and the replay (its writes: webhook-event-writes.ts). */

/**
 * In one statement: the deliveries PostgreSQL holds as `failed`, and how many of `ids` (failed jobs' ids) have no row
 * at all.
 */
export async function countFailedDeliveryRows(
  db: Database,
  ids: string[],
): Promise<{ rows: number; idsWithoutRow: number }> {
  const e = calWebhookEvents;
  const row = await queryRow<{ rows: number; ids_without_row: number }>(
    db,
    sql`select (select count(*)::int from ${e} where ${e.status} = 'failed') as rows,
      (select count(*)::int from unnest(${sql.param(ids)}::text[]) as f(id)
        where not exists (select 1 from ${e} where ${e.id} = f.id)) as ids_without_row`,
  );
  return { rows: row?.rows ?? 0, idsWithoutRow: row?.ids_without_row ?? 0 };
}

/** The ids among `ids` that have no delivery row. */
export async function idsWithoutDeliveryRow(db: Database, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select x.id from unnest(${sql.param(ids)}::text[]) as x(id)
      where not exists (select 1 from ${calWebhookEvents} where ${calWebhookEvents.id} = x.id)`,
  );
  return rows.map((row) => row.id);
}

/** The ids of `failed` deliveries, oldest received first, at most `limit`. */
export async function failedDeliveryIds(db: Database, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: calWebhookEvents.id })
    .from(calWebhookEvents)
    .where(eq(calWebhookEvents.status, 'failed'))
    .orderBy(calWebhookEvents.receivedAt)
    .limit(limit);
  return rows.map((row) => row.id);
}
