import { type Database, execute, type Transaction } from '@calsync/db';
import { sql } from 'drizzle-orm';

/** Status-neutral facts a webhook records on a booking row that already exists (the merge rule created it if not). */
export type BookingFact =
  | { kind: 'meeting-started' | 'meeting-ended'; uid: string | null; bookingId: string | null; at: Date }
  | { kind: 'payment'; uid: string; paid: boolean; payment: Record<string, unknown> }
  | {
      kind: 'no-show';
      uid: string;
      /** Time of the information: only newer no-show information replaces older. */
      at: Date;
      attendees: Array<{ email: string; noShow: boolean }>;
      host: boolean | null;
    };

/** Writes each fact so that duplicates and any arrival order end in the same row. */
export async function recordBookingFacts(db: Database | Transaction, facts: BookingFact[]): Promise<void> {
  for (const fact of facts) await execute(db, factStatement(fact));
}

function factStatement(fact: BookingFact) {
  switch (fact.kind) {
    case 'meeting-started':
      // The first report wins: a replayed or duplicated delivery must not move it.
      return sql`update cal_bookings set meeting_started_at = ${fact.at.toISOString()}::timestamptz, updated_at = now()
        where ${meetingBooking(fact)} and meeting_started_at is null`;
    case 'meeting-ended':
      // A meeting that ended completes its booking once the booking's end has passed (the completion sweep does it
      // later otherwise); a cancelled, rejected or rescheduled booking keeps its status.
      return sql`update cal_bookings set meeting_ended_at = coalesce(meeting_ended_at, ${fact.at.toISOString()}::timestamptz),
        status = case when status = 'scheduled' and end_time <= now() then 'completed' else status end,
        updated_at = now()
        where ${meetingBooking(fact)}
          and (meeting_ended_at is null or (status = 'scheduled' and end_time <= now()))`;
    case 'payment':
      // A successful payment's facts beat an initiated one's, whatever the order.
      return sql`update cal_bookings set
        paid = paid or ${fact.paid},
        payment = case when ${fact.paid} or payment is null then ${JSON.stringify(fact.payment)}::jsonb else payment end,
        updated_at = now()
        where cal_uid = ${fact.uid} and (payment is null or (${fact.paid} and not paid))`;
    case 'no-show':
      return sql`update cal_bookings set
        no_show_attendees = ${JSON.stringify(fact.attendees)}::jsonb,
        no_show_host = coalesce(${fact.host}::boolean, no_show_host),
        no_show_updated_at = ${fact.at.toISOString()}::timestamptz,
        updated_at = now()
        where cal_uid = ${fact.uid} and (no_show_updated_at is null or no_show_updated_at < ${fact.at.toISOString()}::timestamptz)`;
  }
}

/** The booking a MEETING_* body names: by uid, or by Cal.com's numeric id when the envelope form leaves the uid out. */
function meetingBooking(fact: { uid: string | null; bookingId: string | null }) {
  if (fact.uid) return sql`cal_uid = ${fact.uid}`;
  return fact.bookingId ? sql`cal_booking_id = ${fact.bookingId}` : sql`false`;
}
