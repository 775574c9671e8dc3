import { type Database, execute, type Transaction } from '@calsync/db';
import { sql } from 'drizzle-orm';

/**
 * Takes each booking's transaction-level lock, in JavaScript's sort order of the uids. Every writer of booking rows
 * (webhook apply, syncs, admin actions) takes them before it writes: two writers of one booking then wait for each
 * other instead of both inserting it (the second insert would fail on `cal_booking_id` and lose its whole page or
 * batch), and two transactions never wait on each other in a cycle.
 */
export async function lockBookings(tx: Database | Transaction, uids: Iterable<string>): Promise<void> {
  const sorted = [...new Set(uids)].sort();
  if (sorted.length === 0) return;
  await execute(
    tx,
    sql`select pg_advisory_xact_lock(hashtextextended('booking:' || u, 0))
      from unnest(${sql.param(sorted)}::text[]) with ordinality as t(u, ord) order by ord`,
  );
}
