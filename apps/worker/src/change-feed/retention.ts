import { type Database, queryRow } from '@calsync/db';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { z } from 'zod';

const DAY_MS = 86_400_000;
const units = { m: 60_000, h: 3_600_000, d: DAY_MS } as const;

/** CHANGES_RETENTION: how long Changes stay in the feed, like `90d`, `36h` or `30m` (default 90 days). */
export const changesRetention = z
  .string()
  .regex(/^\d{1,6}(m|h|d)$/, 'expected a duration like 90d, 36h or 30m')
  .transform((v) => Number(v.slice(0, -1)) * units[v.at(-1) as keyof typeof units])
  .refine((ms) => ms > 0, 'must be more than zero')
  .default(90 * DAY_MS);

/** Deletes the Changes older than `retentionMs` (migration 0005's calsync_prune_changes); returns how many went. */
export async function pruneChanges(db: Database, retentionMs: number): Promise<number> {
  const row = await queryRow<{ pruned: number }>(
    db,
    sql`select calsync_prune_changes(make_interval(secs => ${retentionMs / 1_000}))::int as pruned`,
  );
  return row?.pruned ?? 0;
}

/**
 * Prunes the change feed at start and then once a day. Every worker process does it: the delete is idempotent, and
 * one more small delete a day costs less than coordinating who should run it.
 */
export function startChangeRetention(deps: { db: Database; retentionMs: number; logger: Logger; everyMs?: number }) {
  const prune = () =>
    pruneChanges(deps.db, deps.retentionMs).then(
      (pruned) => {
        if (pruned > 0) deps.logger.info({ pruned }, 'old changes pruned from the change feed');
      },
      (err) => deps.logger.warn({ err }, 'pruning the change feed failed; it is tried again tomorrow'),
    );
  let running = prune();
  const timer = setInterval(() => {
    running = prune();
  }, deps.everyMs ?? DAY_MS);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
