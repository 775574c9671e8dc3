import type { Sql } from '@calsync/db';
import { bookingColumns } from './list-bookings.ts';

/** One booking by its Cal.com uid, with every stored delivery about that uid (oldest first); undefined if unknown. */
export async function bookingWithTimeline(sql: Sql, uid: string) {
  const [found] = await sql<{ booking: Record<string, unknown> }[]>`
    select to_jsonb(b) as booking
    from (select ${sql(bookingColumns as unknown as string[])} from cal_bookings where cal_uid = ${uid}) b`;
  if (!found) return undefined;
  const [events] = await sql<{ timeline: Record<string, unknown>[] }[]>`
    select coalesce(jsonb_agg(to_jsonb(e) order by e.received_at, e.id), '[]'::jsonb) as timeline
    from (
      select id, trigger_event as trigger, status, received_at, sent_at, error
      from cal_webhook_events where booking_uid = ${uid}
    ) e`;
  return { booking: found.booking, timeline: events?.timeline ?? [] };
}
