import { calBookings, calWebhookEvents, type Database, queryRow } from '@calsync/db';
import { sql } from 'drizzle-orm';
import { bookingColumns } from './list-bookings.ts';

/** One booking by its Cal.com uid, with every stored delivery about that uid (oldest first); undefined if unknown. */
export async function bookingWithTimeline(db: Database, uid: string) {
  const found = await queryRow<{ booking: Record<string, unknown> }>(
    db,
    sql`select to_jsonb(b) as booking
    from (select ${bookingColumns} from ${calBookings} where ${calBookings.calUid} = ${uid}) b`,
  );
  if (!found) return undefined;
  const e = calWebhookEvents;
  const events = await queryRow<{ timeline: Record<string, unknown>[] }>(
    db,
    sql`select coalesce(jsonb_agg(to_jsonb(e) order by e.received_at, e.id), '[]'::jsonb) as timeline
    from (
      select ${e.id} as id, ${e.triggerEvent} as trigger, ${e.status}, ${e.receivedAt} as received_at, ${e.sentAt},
        ${e.error}
      from ${e} where ${e.bookingUid} = ${uid}
    ) e`,
  );
  return { booking: found.booking, timeline: events?.timeline ?? [] };
}
