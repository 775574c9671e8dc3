import type { Sql } from '@calsync/db';
import type { TimeRange } from './free-ranges.ts';

/**
 * calsync's own bookings of the event type that overlap [fromMs, toMs) and still hold their time
 * (not cancelled, rejected or rescheduled), from the database: no Cal.com call.
 */
export async function busyRanges(sql: Sql, eventTypeId: string, fromMs: number, toMs: number): Promise<TimeRange[]> {
  const rows = await sql<{ range: TimeRange }[]>`
    select jsonb_build_object('start', to_jsonb(start_time), 'end', to_jsonb(end_time)) as range
    from cal_bookings
    where event_type_id = ${eventTypeId}
      and status not in ('cancelled', 'rejected', 'rescheduled')
      and start_time < ${new Date(toMs).toISOString()}::timestamptz
      and end_time > ${new Date(fromMs).toISOString()}::timestamptz
    order by start_time, id`;
  return rows.map((r) => r.range);
}
