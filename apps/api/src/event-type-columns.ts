import { calEventTypes } from '@calsync/db';
import { sql } from 'drizzle-orm';

const e = calEventTypes;

/**
 * What a booking page needs, and nothing of the account behind it: `metadata` holds Cal.com's whole event type
 * (hosts, owner ids, locations with addresses and phone numbers), so the public never sees it.
 */
const publicColumns = [
  e.id,
  e.calEventTypeId,
  e.slug,
  e.title,
  e.description,
  e.length,
  e.price,
  e.currency,
  e.active,
  e.lastSyncedAt,
  e.createdAt,
];

/** A select list of `cal_event_types` for the public, or for an admin (the original design's columns and calsync's bookkeeping). */
export function eventTypeColumns(view: 'public' | 'admin') {
  const columns = view === 'admin' ? [...publicColumns, e.metadata, e.hidden, e.deletedAt, e.updatedAt] : publicColumns;
  return sql.join(columns, sql`, `);
}
