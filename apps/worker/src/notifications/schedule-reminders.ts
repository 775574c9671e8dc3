import { calBookingAttendees, calBookings, columnName, type Database, execute, notifications } from '@calsync/db';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

/**
 * How late a reminder may still be written for the first time. A booking made (or moved) inside an offset skips that
 * reminder; past this, a reminder found late after an outage is also skipped rather than sent long after its time.
 */
export const FIRST_SCHEDULE_GRACE_MS = 5 * 60_000;

const t = notifications;
const n = alias(notifications, 'n');
const b = alias(calBookings, 'b');
const a = alias(calBookingAttendees, 'a');

/**
 * A reminder row still applies while its booking is scheduled at the same start and its recipient still holds a
 * place on it (a seat not left, or the booking's own attendee when Cal.com gave no attendee list).
 */
const stillApplies = sql`exists (
  select 1 from ${calBookings} ${b}
  where ${b.calUid} = ${n.bookingUid} and ${b.status} = 'scheduled' and ${b.startTime} = ${n.startTime}
    and (exists (select 1 from ${calBookingAttendees} ${a}
                 where ${a.bookingUid} = ${b.calUid} and lower(${a.email}) = ${n.recipient} and ${a.leftAt} is null)
         or (not exists (select 1 from ${calBookingAttendees} ${a} where ${a.bookingUid} = ${b.calUid})
             and lower(${b.attendeeEmail}) = ${n.recipient})))`;

/** Which bookings a pass looks at: those the change feed names, or those due within a horizon, or (neither) all. */
export interface PassScope {
  uids?: string[];
  /** Only reminders due within this long from now (the periodic pass; a first pass at start-up looks at all). */
  horizonMs?: number;
}

/**
 * Writes the reminders the booking rows call for: one per (booking, offset, start, active attendee) for scheduled
 * bookings starting in the future, due at start − offset. The dedupe key makes it idempotent across ticks and workers.
 */
export async function scheduleReminders(db: Database, offsetsMs: number[], scope: PassScope = {}): Promise<number> {
  const { uids, horizonMs } = scope;
  if (offsetsMs.length === 0 || uids?.length === 0) return 0;
  const longest = Math.max(...offsetsMs);
  const only = uids
    ? sql`and ${b.calUid} = any(${sql.param(uids)}::text[])`
    : horizonMs !== undefined
      ? sql`and ${b.startTime} <= now() + ${longest + horizonMs} * interval '1 millisecond'`
      : sql``;
  const written = await execute(
    db,
    sql`
    with recipients as (
      select ${b.calUid} as cal_uid, ${b.startTime} as start_time, ${b.createdAt} as created_at,
             lower(${a.email}) as email
      from ${calBookings} ${b}
      join ${calBookingAttendees} ${a} on ${a.bookingUid} = ${b.calUid} and ${a.leftAt} is null
      where ${b.status} = 'scheduled' and ${b.startTime} > now() ${only}
      union
      select ${b.calUid}, ${b.startTime}, ${b.createdAt}, lower(${b.attendeeEmail})
      from ${calBookings} ${b}
      where ${b.status} = 'scheduled' and ${b.startTime} > now() and ${b.attendeeEmail} is not null ${only}
        and not exists (select 1 from ${calBookingAttendees} ${a} where ${a.bookingUid} = ${b.calUid})
    ),
    wanted as (
      select r.*, o.offset_ms, r.start_time - o.offset_ms * interval '1 millisecond' as due_at
      from recipients r cross join unnest(${sql.param(offsetsMs)}::bigint[]) as o(offset_ms)
    )
    insert into ${t} (${columnName(t.dedupeKey)}, ${columnName(t.kind)}, ${columnName(t.bookingUid)},
      ${columnName(t.recipient)}, ${columnName(t.offsetMs)}, ${columnName(t.startTime)}, ${columnName(t.dueAt)},
      ${columnName(t.nextAttemptAt)})
    select 'reminder:' || cal_uid || ':' || offset_ms || ':' || calsync_iso(start_time) || ':' || email,
           'reminder', cal_uid, email, offset_ms, start_time, due_at, due_at
    from wanted
    where due_at >= created_at and due_at >= now() - ${FIRST_SCHEDULE_GRACE_MS} * interval '1 millisecond'
      ${horizonMs !== undefined && !uids ? sql`and due_at <= now() + ${horizonMs} * interval '1 millisecond'` : sql``}
    on conflict (${columnName(t.dedupeKey)}) do update
      set ${columnName(t.status)} = 'scheduled', ${columnName(t.nextAttemptAt)} = excluded.${columnName(t.dueAt)},
          ${columnName(t.attempts)} = 0, ${columnName(t.error)} = null, ${columnName(t.updatedAt)} = now()
      where ${t.status} = 'cancelled'`,
  );
  return written;
}

/**
 * Cancels the reminders that no longer apply: the booking was cancelled, rejected, rescheduled away or moved, the
 * attendee left their seat, or the offset is no longer configured. `dueOnly` looks only at rows the sender is about
 * to take, so none goes out for a booking cancelled since the last pass.
 */
export async function cancelStaleReminders(
  db: Database,
  offsetsMs: number[],
  scope: PassScope & { dueOnly?: boolean } = {},
): Promise<number> {
  if (scope.uids?.length === 0) return 0;
  const only = scope.uids ? sql`and ${n.bookingUid} = any(${sql.param(scope.uids)}::text[])` : sql``;
  const due = scope.dueOnly
    ? sql`and ${n.nextAttemptAt} <= now()`
    : scope.horizonMs !== undefined
      ? sql`and ${n.nextAttemptAt} <= now() + ${scope.horizonMs} * interval '1 millisecond'`
      : sql``;
  const cancelled = await execute(
    db,
    sql`
    update ${t} ${n} set ${columnName(n.status)} = 'cancelled', ${columnName(n.updatedAt)} = now()
    where ${n.kind} = 'reminder' and ${n.status} in ('scheduled', 'sending') ${only} ${due}
      and (${n.status} = 'scheduled' or ${n.nextAttemptAt} <= now())
      and (not ${stillApplies} or not (${n.offsetMs} = any(${sql.param(offsetsMs)}::bigint[])))`,
  );
  return cancelled;
}
