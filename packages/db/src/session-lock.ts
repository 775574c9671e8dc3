import type { Database } from './client.ts';

/**
 * Takes the session-level advisory lock `(space, hashtext(key))` on a connection reserved from the pool for as long
 * as it is held, so it is held across transactions and goes away with its connection when the process dies.
 * Returns the unlock function (which gives the connection back), or undefined when another session holds the lock.
 */
export async function tryHoldAdvisoryLock(
  db: Database,
  space: number,
  key: string,
): Promise<(() => Promise<void>) | undefined> {
  const connection = await db.$client.reserve();
  try {
    const [row] = await connection<Array<{ locked: boolean }>>`
      select pg_try_advisory_lock(${space}, hashtext(${key})) as locked`;
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
      await connection`select pg_advisory_unlock(${space}, hashtext(${key}))`;
    } catch (error) {
      // A closed connection took its session's locks with it: the lock is already free.
      if ((error as { code?: string }).code !== 'CONNECTION_CLOSED') throw error;
    } finally {
      connection.release();
    }
  };
}
