import { calBookings, type Database, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';
import type { TimeRange } from './free-ranges.ts';

/**
 * calsync's own bookings of the event type that overlap [fromMs, toMs) and still hold their time
 * (not cancelled, rejected or rescheduled), from the database: no Cal.com call.
 */
export async function busyRanges(
  db: Database,
  eventTypeId: string,
  fromMs: number,
  toMs: number,
): Promise<TimeRange[]> {
  const b = calBookings;
  const rows = await queryRows<{ range: TimeRange }>(
    db,
    sql`select jsonb_build_object('start', to_jsonb(${b.startTime}), 'end', to_jsonb(${b.endTime})) as range
    from ${b}
    where ${b.eventTypeId} = ${eventTypeId}
      and ${b.status} not in ('cancelled', 'rejected', 'rescheduled')
      and ${b.startTime} < ${new Date(toMs).toISOString()}::timestamptz
      and ${b.endTime} > ${new Date(fromMs).toISOString()}::timestamptz
    order by ${b.startTime}, ${b.id}`,
  );
  return rows.map((r) => r.range);
}
