import { type ChangeType, type Database, queryRow, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';

/** One Change as the feed, the stream and outbound webhooks send it (README, "The change feed"). */
export interface Change {
  /** A decimal string: ids are bigints and grow monotonically in commit order. */
  id: string;
  type: ChangeType;
  occurred_at: string;
  booking?: Record<string, unknown>;
  event_type?: Record<string, unknown>;
  changed: Record<string, { from: unknown; to: unknown }>;
}

interface ChangeRow {
  id: string;
  type: ChangeType;
  occurred_at: string;
  subject: Record<string, unknown>;
  changed: Change['changed'];
}

/**
 * The Changes after id `after`, oldest first. Ids are handed out in commit order (migration 0005), so reading
 * "after the last id seen" never skips a Change that commits later.
 */
export async function readChanges(db: Database, after: bigint, limit: number): Promise<Change[]> {
  const rows = await queryRows<ChangeRow>(
    db,
    sql`
    select id::text as id, type, calsync_iso(occurred_at) as occurred_at, subject, changed
    from cal_changes where cal_changes.id > ${after.toString()}::bigint order by cal_changes.id limit ${limit}`,
  );
  return rows.map(toChange);
}

/** The newest Change's id, 0 when there is none: where a reader that wants only new Changes starts. */
export async function latestChangeId(db: Database): Promise<bigint> {
  const row = await queryRow<{ id: string }>(db, sql`select coalesce(max(id), 0)::text as id from cal_changes`);
  return BigInt(row?.id ?? '0');
}

function toChange(row: ChangeRow): Change {
  const subjectKey = row.type.startsWith('booking.') ? 'booking' : 'event_type';
  return { id: row.id, type: row.type, occurred_at: row.occurred_at, [subjectKey]: row.subject, changed: row.changed };
}
