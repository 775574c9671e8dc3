import { type CalSyncRun, calBookings, columnName, queryRows } from '@calsync/db';
import { invalidateAvailability } from '@calsync/jobs';
import { sql } from 'drizzle-orm';
import type { SyncContext } from './sync-context.ts';
import { recordProgress } from './sync-runs.ts';

// Small batches keep each statement's row locks short next to the webhook path writing the same table.
const BATCH_SIZE = 1_000;

/**
 * The completion sweep: `scheduled` bookings whose end has passed become `completed`. No Cal.com request. Only the
 * status moves (not source_updated_at): it is derived from time, not new information, so it must not make newer
 * upstream information look stale.
 */
export async function runCompletePast(ctx: SyncContext, run: CalSyncRun) {
  let updated = 0;
  for (;;) {
    const b = calBookings;
    const rows = await queryRows<{ event_type_id: string | null }>(
      ctx.db,
      sql`update ${b} set ${columnName(b.status)} = 'completed', ${columnName(b.updatedAt)} = now()
      where ${b.id} in (
        select ${b.id} from ${b}
        where ${b.status} = 'scheduled' and ${b.endTime} <= now()
        limit ${BATCH_SIZE}
        for update skip locked
      )
      returning ${b.eventTypeId}`,
    );
    if (rows.length === 0) break;
    updated += rows.length;
    await recordProgress(ctx.db, run.id, { updated: rows.length });
    await invalidateAvailability(
      ctx.redis,
      ctx.redisPrefix,
      rows.map((row) => row.event_type_id),
    );
    if (rows.length < BATCH_SIZE) break;
    ctx.signal.throwIfAborted();
  }
  return { pages: 0, created: 0, updated, unchanged: 0 };
}
