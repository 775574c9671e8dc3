import { type Database, tryHoldAdvisoryLock } from '@calsync/db';

// First key of the two-key advisory lock: the sync-run namespace (any constant not used elsewhere).
const SYNC_RUN_LOCK_SPACE = 727_005;

/**
 * Takes a PostgreSQL advisory lock on one run, held on a reserved connection, so one run is worked on by one job at a
 * time across every process, and a crashed process's lock goes away with its connection. Returns the unlock
 * function, or undefined when another job holds the run.
 */
export async function tryLockRun(db: Database, runId: string): Promise<(() => Promise<void>) | undefined> {
  return await tryHoldAdvisoryLock(db, SYNC_RUN_LOCK_SPACE, runId);
}
