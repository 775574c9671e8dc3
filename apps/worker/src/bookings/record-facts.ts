import { calBookings, columnName, type Database, execute, type Transaction } from '@calsync/db';
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

const b = calBookings;

/** Writes each fact so that duplicates and any arrival order end in the same row. */
export async function recordBookingFacts(db: Database | Transaction, facts: BookingFact[]): Promise<void> {
  for (const fact of facts) await execute(db, factStatement(fact));
}

function factStatement(fact: BookingFact) {
  switch (fact.kind) {
    case 'meeting-started':
      // The first report wins: a replayed or duplicated delivery must not move it.
      return sql`update ${b} set ${columnName(b.meetingStartedAt)} = ${fact.at.toISOString()}::timestamptz,
        ${columnName(b.updatedAt)} = now()
        where ${meetingBooking(fact)} and ${b.meetingStartedAt} is null`;
    case 'meeting-ended':
      // A meeting that ended completes its booking once the booking's end has passed (the completion sweep does it
      // later otherwise); a cancelled, rejected or rescheduled booking keeps its status.
      return sql`update ${b}
        set ${columnName(b.meetingEndedAt)} = coalesce(${b.meetingEndedAt}, ${fact.at.toISOString()}::timestamptz),
        ${columnName(b.status)} = case when ${b.status} = 'scheduled' and ${b.endTime} <= now() then 'completed'
          else ${b.status} end,
        ${columnName(b.updatedAt)} = now()
        where ${meetingBooking(fact)}
          and (${b.meetingEndedAt} is null or (${b.status} = 'scheduled' and ${b.endTime} <= now()))`;
    case 'payment':
      // A successful payment's facts beat an initiated one's, whatever the order.
      return sql`update ${b} set
        ${columnName(b.paid)} = ${b.paid} or ${fact.paid},
        ${columnName(b.payment)} = case when ${fact.paid} or ${b.payment} is null
          then ${JSON.stringify(fact.payment)}::jsonb else ${b.payment} end,
        ${columnName(b.updatedAt)} = now()
        where ${b.calUid} = ${fact.uid} and (${b.payment} is null or (${fact.paid} and not ${b.paid}))`;
    case 'no-show':
      return sql`update ${b} set
        ${columnName(b.noShowAttendees)} = ${JSON.stringify(fact.attendees)}::jsonb,
        ${columnName(b.noShowHost)} = coalesce(${fact.host}::boolean, ${b.noShowHost}),
        ${columnName(b.noShowUpdatedAt)} = ${fact.at.toISOString()}::timestamptz,
        ${columnName(b.updatedAt)} = now()
        where ${b.calUid} = ${fact.uid}
          and (${b.noShowUpdatedAt} is null or ${b.noShowUpdatedAt} < ${fact.at.toISOString()}::timestamptz)`;
  }
}

/** The booking a MEETING_* body names: by uid, or by Cal.com's numeric id when the envelope form leaves the uid out. */
function meetingBooking(fact: { uid: string | null; bookingId: string | null }) {
  if (fact.uid) return sql`${b.calUid} = ${fact.uid}`;
  return fact.bookingId ? sql`${b.calBookingId} = ${fact.bookingId}` : sql`false`;
}
