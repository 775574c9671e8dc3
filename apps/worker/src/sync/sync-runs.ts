import { type CalSyncRun, calSyncRuns, type Database, type SyncKind, type Transaction } from '@calsync/db';
import { observeSyncRun } from '@calsync/service-kit';
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';

/** What one page (or one whole small run) adds to its run's counters. */
export interface RunProgress {
  requests?: number;
  pages?: number;
  created?: number;
  updated?: number;
  unchanged?: number;
  /** Items Cal.com returned that the run could not take (recorded in cal_sync_skipped_items). */
  skipped?: number;
}

/**
 * Marks a queued or running run as running (a running one is being resumed) and returns it; undefined when the run
 * is gone or already finished (a duplicate job), so there is nothing to do.
 */
export async function startRun(db: Database, runId: string): Promise<CalSyncRun | undefined> {
  const [run] = await db
    .update(calSyncRuns)
    .set({ status: 'running', startedAt: sql`coalesce(${calSyncRuns.startedAt}, now())`, error: null })
    .where(and(eq(calSyncRuns.id, runId), inArray(calSyncRuns.status, ['queued', 'running'])))
    .returning();
  return run;
}

/** Adds a page's counters and moves the checkpoint; called in the page's own transaction so both commit together. */
export async function recordProgress(
  db: Database | Transaction,
  runId: string,
  progress: RunProgress,
  position: { checkpoint?: Record<string, unknown> | null; watermark?: Date | null } = {},
): Promise<void> {
  await db
    .update(calSyncRuns)
    .set({
      requests: sql`${calSyncRuns.requests} + ${progress.requests ?? 0}`,
      pages: sql`${calSyncRuns.pages} + ${progress.pages ?? 0}`,
      rowsCreated: sql`${calSyncRuns.rowsCreated} + ${progress.created ?? 0}`,
      rowsUpdated: sql`${calSyncRuns.rowsUpdated} + ${progress.updated ?? 0}`,
      rowsUnchanged: sql`${calSyncRuns.rowsUnchanged} + ${progress.unchanged ?? 0}`,
      itemsSkipped: sql`${calSyncRuns.itemsSkipped} + ${progress.skipped ?? 0}`,
      ...(position.checkpoint !== undefined ? { checkpoint: position.checkpoint } : {}),
      // The watermark only moves forward, whatever order pages commit in.
      ...(position.watermark
        ? { watermark: sql`greatest(${calSyncRuns.watermark}, ${position.watermark.toISOString()}::timestamptz)` }
        : {}),
    })
    .where(eq(calSyncRuns.id, runId));
}

/** Ends a run; returns it with its final counters. */
export async function finishRun(
  db: Database,
  runId: string,
  outcome: { status: 'succeeded' } | { status: 'failed'; error: string },
): Promise<CalSyncRun | undefined> {
  const [run] = await db
    .update(calSyncRuns)
    .set({
      status: outcome.status,
      finishedAt: new Date(),
      error: outcome.status === 'failed' ? outcome.error.slice(0, 2_000) : null,
    })
    .where(eq(calSyncRuns.id, runId))
    .returning();
  if (run) observeSyncRun(run); // the calsync_sync_runs metric
  return run;
}

/** Notes the error of a failed attempt that will be retried, so the run row shows why it is slow. */
export async function noteRetry(db: Database, runId: string, error: string): Promise<void> {
  await db
    .update(calSyncRuns)
    .set({ error: `retrying after: ${error}`.slice(0, 2_000) })
    .where(eq(calSyncRuns.id, runId));
}

/** The watermark of the newest succeeded run of this kind that has one. */
export async function lastWatermark(db: Database, kind: SyncKind): Promise<Date | undefined> {
  const [row] = await db
    .select({ watermark: calSyncRuns.watermark })
    .from(calSyncRuns)
    .where(and(eq(calSyncRuns.kind, kind), eq(calSyncRuns.status, 'succeeded'), isNotNull(calSyncRuns.watermark)))
    .orderBy(desc(calSyncRuns.watermark))
    .limit(1);
  return row?.watermark ?? undefined;
}
