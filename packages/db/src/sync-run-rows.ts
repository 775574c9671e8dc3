import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from './client.ts';
import { type CalSyncRun, calSyncRuns, type SyncKind, type SyncTrigger } from './schema/index.ts';

/**
 * Finding, creating and failing `cal_sync_runs` rows, for whoever requests a sync (the api, the CLI, the worker's
 * schedules). A run's progress while it works is written by the worker (apps/worker/src/sync/sync-runs.ts).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The run with this id, or undefined (also for a string that is not a uuid). */
export async function getSyncRun(db: Database, id: string): Promise<CalSyncRun | undefined> {
  if (!UUID.test(id)) return undefined;
  const [run] = await db.select().from(calSyncRuns).where(eq(calSyncRuns.id, id));
  return run;
}

/** The queued or running run of this kind, if any (at most one exists: a partial unique index says so). */
export async function getActiveSyncRun(db: Database, kind: SyncKind): Promise<CalSyncRun | undefined> {
  const [run] = await db
    .select()
    .from(calSyncRuns)
    .where(and(eq(calSyncRuns.kind, kind), inArray(calSyncRuns.status, ['queued', 'running'])));
  return run;
}

/**
 * Creates a queued run of this kind and returns it, unless one is already queued or running (an insert that loses
 * the race on the partial unique index returns nothing): then returns that one. Race-free across processes.
 */
export async function createOrGetActiveSyncRun(
  db: Database,
  kind: SyncKind,
  trigger: SyncTrigger,
): Promise<{ run: CalSyncRun; created: boolean }> {
  // The active run can finish between the failed insert and the select: then the next insert wins.
  for (let attempt = 0; attempt < 5; attempt++) {
    const [created] = await db.insert(calSyncRuns).values({ kind, trigger }).onConflictDoNothing().returning();
    if (created) return { run: created, created: true };
    const active = await getActiveSyncRun(db, kind);
    if (active) return { run: active, created: false };
  }
  throw new Error(`could not create or find an active ${kind} run`);
}

/** Marks a run that never started as failed, with why; false when it is no longer queued (it started meanwhile). */
export async function failQueuedSyncRun(db: Database, id: string, error: string): Promise<boolean> {
  const failed = await db
    .update(calSyncRuns)
    .set({ status: 'failed', finishedAt: new Date(), error })
    .where(and(eq(calSyncRuns.id, id), eq(calSyncRuns.status, 'queued')))
    .returning({ id: calSyncRuns.id });
  return failed.length > 0;
}
