import type { CalApiBooking } from '@calsync/cal-client';
import { type BookingStatus, calBookingAttendees, calBookings, queryRow, transaction } from '@calsync/db';
import { invalidateAvailability } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import { apiBookingToWrite, lockBookings, upsertBookings, writeAttendees } from '@calsync/worker';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { bookingColumns } from '../bookings/list-bookings.ts';
import { type ActionContext, errorAnswer, requireCal } from './action-context.ts';
import { recordAdminAction } from './audit.ts';
import { type BookingAction, refusalOf } from './booking-rules.ts';
import { calFailure } from './cal-refusal.ts';
import type { StoredAnswer } from './idempotency.ts';

export interface BookingActionInput {
  action: BookingAction;
  uid: string;
  /** The decline or cancellation reason. */
  reason?: string;
  /** mark-absent: whether the host was absent. */
  host?: boolean;
  /** mark-absent: attendees to mark (absent: true) or unmark. */
  attendees?: Array<{ email: string; absent: boolean }>;
}

interface MirrorRow {
  status: BookingStatus;
  start_time: string | null;
  end_time: string | null;
  event_type_id: string | null;
  emails: string[];
}

const b = alias(calBookings, 'b');
const a = alias(calBookingAttendees, 'a');

async function loadMirror(context: ActionContext, uid: string): Promise<MirrorRow | undefined> {
  return await queryRow<MirrorRow>(
    context.db,
    sql`select ${b.status}, ${b.startTime}, ${b.endTime}, ${b.eventTypeId},
      coalesce((select array_agg(lower(${a.email})) from ${calBookingAttendees} ${a}
        where ${a.bookingUid} = ${b.calUid} and ${a.leftAt} is null), array[lower(${b.attendeeEmail})]) as emails
    from ${calBookings} ${b} where ${b.calUid} = ${uid}`,
  );
}

/** Mark-absent names people on the booking: an e-mail Cal.com does not know there is refused here, by position. */
function checkAttendees(input: BookingActionInput, emails: string[]) {
  if (input.action !== 'mark-absent') return;
  if (input.attendees === undefined && input.host === undefined) {
    throw new HttpError('invalid_request', 'attendees: required for mark-absent (or host: true)');
  }
  input.attendees?.forEach((attendee, i) => {
    if (!emails.includes(attendee.email.toLowerCase())) {
      throw new HttpError('invalid_request', `attendees[${i}].email: not an attendee of booking ${input.uid}`);
    }
  });
}

function callCal(context: ActionContext, input: BookingActionInput): Promise<CalApiBooking> {
  const cal = requireCal(context);
  switch (input.action) {
    case 'confirm':
      return cal.confirmBooking(input.uid);
    case 'decline':
      return cal.declineBooking(input.uid, input.reason === undefined ? {} : { reason: input.reason });
    case 'cancel':
      return cal.cancelBooking(input.uid, input.reason === undefined ? {} : { cancellationReason: input.reason });
    case 'mark-absent':
      return cal.markAbsent(input.uid, {
        ...(input.host === undefined ? {} : { host: input.host }),
        ...(input.attendees === undefined ? {} : { attendees: input.attendees }),
      });
  }
}

/**
 * One booking action, run once per idempotency key (see `runOnce`): checked against the mirror (404, 409), sent to
 * Cal.com, and Cal.com's answer written to the mirror through the worker's mapping and merge rule, with its audit
 * row, in one transaction. A refusal by Cal.com is audited and answered 502; the mirror is left as it was.
 */
export async function performBookingAction(
  context: ActionContext,
  input: BookingActionInput,
  who: { actor: string; idempotencyKey: string },
): Promise<StoredAnswer> {
  const row = await loadMirror(context, input.uid);
  if (!row) throw new HttpError('not_found', `no booking with uid ${input.uid} in the mirror`);
  const now = context.now();
  const mirrored = {
    status: row.status,
    startTime: row.start_time ? new Date(row.start_time) : null,
    endTime: row.end_time ? new Date(row.end_time) : null,
  };
  const refusal = refusalOf(input.action, mirrored, now);
  if (refusal) return errorAnswer(new HttpError('conflict', `${input.uid}: ${refusal}`));
  checkAttendees(input, row.emails);

  const { action, uid, ...asked } = input;
  const audit = { action, target: uid, actor: who.actor, request: asked, idempotencyKey: who.idempotencyKey };
  let answer: CalApiBooking;
  try {
    answer = await callCal(context, input);
  } catch (error) {
    const failure = calFailure(error, `${action} booking ${uid}`);
    if (!failure.audit) throw failure.error;
    await recordAdminAction(context.db, { ...audit, ...failure.audit });
    return errorAnswer(failure.error);
  }

  const write = apiBookingToWrite(answer, context.now());
  await transaction(context.db, async (tx) => {
    await lockBookings(tx, [write.upsert.state.calUid]);
    await upsertBookings(tx, [write.upsert]);
    await writeAttendees(tx, [write.attendees]);
    await recordAdminAction(tx, { ...audit, outcome: 'accepted', calStatus: 200, calAnswer: answer });
  });
  await invalidateAvailability(context.redis, context.redisPrefix, [row.event_type_id]);
  const booking = await queryRow<{ booking: Record<string, unknown> }>(
    context.db,
    sql`
    select to_jsonb(b) as booking
    from (select ${bookingColumns} from ${calBookings} where ${calBookings.calUid} = ${uid}) b`,
  );
  return { statusCode: 200, body: { booking: booking?.booking } };
}
