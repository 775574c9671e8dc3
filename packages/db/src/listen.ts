import type { Database } from './client.ts';

/**
 * LISTEN on `channel` (postgres.js keeps one listening connection per pool, outside the pool's `max`). `onNotify`
 * gets each payload; `onListen` runs after every (re)connect, when notifications may have been missed. Returns the
 * function that stops listening.
 */
export async function listen(
  db: Database,
  channel: string,
  onNotify: (payload: string) => void,
  onListen?: () => void,
): Promise<() => Promise<void>> {
  const listening = await db.$client.listen(channel, onNotify, onListen);
  return async () => {
    await listening.unlisten();
  };
}
