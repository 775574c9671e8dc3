import type { Database } from '@calsync/db';
import { openSyncQueue, requestSync } from '@calsync/jobs';
import type { Logger } from 'pino';

/** A burst of unreadable deliveries asks for one sync: a queued or running run already covers the rest. */
const MIN_GAP_MS = 5_000;

export interface LearnBySync {
  /** Asks for an incremental bookings sync (at most one request per MIN_GAP_MS per process); never throws. */
  request: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * What a delivery could not tell (a custom payload template, the rest of a recurring series cancelled at once) is
 * learned from Cal.com's API: the incremental bookings sync reads every booking changed since its watermark.
 */
export function learnBySync(deps: { db: Database; redisUrl: string; prefix: string; logger: Logger }): LearnBySync {
  const queue = openSyncQueue({ redisUrl: deps.redisUrl, prefix: deps.prefix });
  let lastRequestAt = 0;
  return {
    request: async () => {
      if (Date.now() - lastRequestAt < MIN_GAP_MS) return;
      lastRequestAt = Date.now();
      try {
        const run = await requestSync({ db: deps.db, queue }, 'bookings_sync', 'schedule');
        deps.logger.info({ runId: run.id }, 'a delivery could not tell everything: an incremental sync will');
      } catch (err) {
        // The scheduled incremental sync learns it all the same, within CAL_SYNC_EVERY.
        lastRequestAt = 0;
        deps.logger.warn({ err }, 'could not request an incremental sync; the scheduled one will catch up');
      }
    },
    close: async () => {
      await queue.close();
    },
  };
}
