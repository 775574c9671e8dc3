import { calChanges, type Database, queryRow, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';

const PAGE = 5_000;

/**
 * Which bookings changed since the last look, read from the change feed (cal_changes: ids in commit order, so
 * nothing committed behind the cursor is ever missed). Each worker keeps its own cursor: a tick that lands on another
 * worker only looks at some bookings twice, and scheduling is idempotent.
 */
export class ChangedBookings {
  #after: string | undefined;

  /** `all` on the first call (the process has not looked yet), else the uids changed since the previous call. */
  async next(db: Database): Promise<'all' | string[]> {
    if (this.#after === undefined) {
      const row = await queryRow<{ max: string | null }>(
        db,
        sql`select max(${calChanges.id})::text as max from ${calChanges}`,
      );
      this.#after = row?.max ?? '0';
      return 'all';
    }
    const c = calChanges;
    const rows = await queryRows<{ id: string; booking_uid: string | null }>(
      db,
      sql`select ${c.id}::text as id, ${c.bookingUid} from ${c} where ${c.id} > ${this.#after}::bigint order by ${c.id} limit ${PAGE}`,
    );
    const last = rows.at(-1);
    if (last) this.#after = last.id;
    return [...new Set(rows.flatMap((row) => (row.booking_uid ? [row.booking_uid] : [])))];
  }
}
