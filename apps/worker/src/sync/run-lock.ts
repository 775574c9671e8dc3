import type { Sql } from '@calsync/db';

// First key of the two-key advisory lock: the sync-run namespace (any constant not used elsewhere).
const SYNC_RUN_LOCK_SPACE = 727_005;

/**
 * Takes a PostgreSQL advisory lock on one run, held on a reserved connection, so one run is worked on by one job at a
 * time across every process, and a crashed process's lock goes away with its connection. Returns the unlock
 * function, or undefined when another job holds the run.
 */
export async function tryLockRun(sql: Sql, runId: string): Promise<(() => Promise<void>) | undefined> {
  const connection = await sql.reserve();
  try {
    const [row] = await connection<Array<{ locked: boolean }>>`
      select pg_try_advisory_lock(${SYNC_RUN_LOCK_SPACE}, hashtext(${runId})) as locked`;
    if (!row?.locked) {
      connection.release();
      return undefined;
    }
  } catch (error) {
    connection.release();
    throw error;
  }
  return async () => {
    try {
      await connection`select pg_advisory_unlock(${SYNC_RUN_LOCK_SPACE}, hashtext(${runId}))`;
    } catch (error) {
      // A closed connection took its session's locks with it: the run is already free.
      if ((error as { code?: string }).code !== 'CONNECTION_CLOSED') throw error;
    } finally {
      connection.release();
    }
  };
}
