import { type ChangeType, calChanges, type Database, queryRow, queryRows } from '@calsync/db';
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
  const c = calChanges;
  const rows = await queryRows<ChangeRow>(
    db,
    sql`select ${c.id}::text as id, ${c.type}, calsync_iso(${c.occurredAt}) as occurred_at, ${c.subject}, ${c.changed}
    from ${c} where ${c.id} > ${after.toString()}::bigint order by ${c.id} limit ${limit}`,
  );
  return rows.map(toChange);
}

/** The newest Change's id, 0 when there is none: where a reader that wants only new Changes starts. */
export async function latestChangeId(db: Database): Promise<bigint> {
  const row = await queryRow<{ id: string }>(
    db,
    sql`select coalesce(max(${calChanges.id}), 0)::text as id from ${calChanges}`,
  );
  return BigInt(row?.id ?? '0');
}

function toChange(row: ChangeRow): Change {
  const subjectKey = row.type.startsWith('booking.') ? 'booking' : 'event_type';
  return { id: row.id, type: row.type, occurred_at: row.occurred_at, [subjectKey]: row.subject, changed: row.changed };
}
