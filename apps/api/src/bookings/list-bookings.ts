import { type BookingStatus, bookingStatuses, calBookings, type Database, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';
import { type BookingCursor, encodeCursor } from './cursor.ts';

export interface BookingFilters {
  statuses?: BookingStatus[];
  /** Start time at or after (ISO). */
  from?: string;
  /** Start time before (ISO). */
  to?: string;
  /** A Cal.com event type id (digits) or slug. */
  eventType?: string;
  /** Case-insensitive substring of the attendee's name or e-mail. */
  q?: string;
  limit: number;
  cursor?: BookingCursor;
}

export type BookingRow = Record<string, unknown> & { id: string; start_time: string | null };

/** The original design's columns (names unchanged) and a few of calsync's that a client needs. */
export const bookingColumns = sql.join(
  [
    calBookings.id,
    calBookings.calBookingId,
    calBookings.calUid,
    calBookings.eventTypeId,
    calBookings.eventTypeSlug,
    calBookings.title,
    calBookings.startTime,
    calBookings.endTime,
    calBookings.attendeeName,
    calBookings.attendeeEmail,
    calBookings.attendeeTimezone,
    calBookings.status,
    calBookings.meetingUrl,
    calBookings.location,
    calBookings.metadata,
    calBookings.createdAt,
    calBookings.updatedAt,
    calBookings.rescheduledFromUid,
    calBookings.rescheduledToUid,
    calBookings.cancellationReason,
    calBookings.rejectionReason,
    calBookings.paid,
    calBookings.source,
  ],
  sql`, `,
);

export const isBookingStatus = (value: string): value is BookingStatus =>
  (bookingStatuses as readonly string[]).includes(value);

/** `%` and `_` are wildcards in LIKE and `\` its escape: a search for them must find them literally. */
export function likeSubstring(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page in (start_time, id) order, NULL start times last. Keyset, not OFFSET: each branch walks the
 * (start_time, id) index from the cursor, so page 1,000 costs what page 1 does. Rows are JSON built by PostgreSQL
 * (ISO timestamps with microseconds, which the cursor keeps exactly).
 */
export async function listBookings(db: Database, filters: BookingFilters) {
  const columns = bookingColumns;
  const b = calBookings;
  const where = sql`true
    ${filters.statuses ? sql`and ${b.status} = any(${sql.param(filters.statuses)}::text[])` : sql``}
    ${filters.from ? sql`and ${b.startTime} >= ${filters.from}::timestamptz` : sql``}
    ${filters.to ? sql`and ${b.startTime} < ${filters.to}::timestamptz` : sql``}
    ${eventTypeCondition(filters.eventType)}
    ${
      filters.q
        ? sql`and (coalesce(${b.attendeeName}, '') || ' ' || coalesce(${b.attendeeEmail}, ''))
          ilike ${likeSubstring(filters.q)}`
        : sql``
    }`;
  const cursor = filters.cursor;
  const limit = filters.limit;
  // One row more than a page tells whether another page follows.
  const take = limit + 1;
  const after = cursor
    ? sql`(${b.startTime}, ${b.id}) > (${cursor.startTime}::timestamptz, ${cursor.id}::uuid)`
    : sql`${b.startTime} is not null`;
  const datedBranch = sql`(select ${columns} from ${b} where ${where}
      and ${after}
      order by ${b.startTime}, ${b.id} limit ${take})`;
  const undatedBranch = sql`(select ${columns} from ${b} where ${where} and ${b.startTime} is null
      ${cursor?.startTime === null ? sql`and ${b.id} > ${cursor.id}::uuid` : sql``}
      order by ${b.id} limit ${take})`;
  // Past the dated rows, only the undated branch is left.
  const union = cursor && cursor.startTime === null ? undatedBranch : sql`${datedBranch} union all ${undatedBranch}`;
  // The outer `b` is the union: its columns carry the names bookingColumns gives them.
  const rows = await queryRows<{ booking: BookingRow }>(
    db,
    sql`select to_jsonb(b) as booking from (${union}) b
    order by b.start_time nulls last, b.id limit ${take}`,
  );
  const bookings = rows.slice(0, limit).map((r) => r.booking);
  const last = bookings.at(-1);
  const next = rows.length > limit && last ? encodeCursor({ startTime: last.start_time, id: last.id }) : null;
  return { bookings, next_cursor: next };
}

function eventTypeCondition(eventType: string | undefined) {
  if (eventType === undefined) return sql``;
  return /^\d+$/.test(eventType)
    ? sql`and ${calBookings.eventTypeId} = ${eventType}`
    : sql`and ${calBookings.eventTypeSlug} = ${eventType}`;
}
