import type { WebhookQueue } from '@calsync/jobs';
import type { Redis } from 'ioredis';

/** A day: a cursor outlives any pause between sweeps, and a lost one only means starting again from the oldest. */
const CURSOR_TTL_S = 24 * 60 * 60;

/**
 * Where a sweep stopped, kept in Redis beside the queue so that every worker process continues from the same place.
 * `null` means "start from the beginning".
 */
export function rotatingCursor(queue: WebhookQueue, key: string) {
  // BullMQ's client adapter types only the commands BullMQ uses; at run time it is ioredis's own client.
  const client = async () => (await queue.getBackend().client) as unknown as Redis;
  return {
    read: async (): Promise<string | null> => await (await client()).get(key),
    write: async (value: string | null): Promise<void> => {
      if (value === null) await (await client()).del(key);
      else await (await client()).set(key, value, 'EX', CURSOR_TTL_S);
    },
  };
}
