import {
  calBookingAttendees,
  calBookings,
  calEventTypes,
  type Database,
  execute,
  queryRow,
  queryRows,
  type Transaction,
  transaction,
} from '@calsync/db';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type InsightsRange, mondayOf } from './insights-range.ts';
import { localSeconds, offsetSegments } from './zone-offsets.ts';

// The SQL behind the insights. Each statement reads only the bookings whose start falls in the range, from
// cal_bookings_insights_idx alone (start, status, event type, creation, uid), so a year costs the same however long
// the history is and however wide the rows. The no-shows are found from the other side (the few absent attendees,
// through partial indexes), never by probing every booking's attendees.

/** Counts of one event type in one week (0 = the week holding `from`); revenue comes from its event type's price. */
export interface WeekTypeRow {
  week: number;
  event_type_id: string | null;
  title: string | null;
  slug: string | null;
  price: number | null;
  currency: string;
  booked: number;
  completed: number;
  cancelled: number;
  rejected: number;
  rescheduled: number;
}

/**
 * The statuses that count as `booked`: a session that stands, whether still ahead (scheduled, pending) or held
 * (completed). A cancelled booking was once scheduled, but cancellation_rate is
 * cancelled ÷ (booked + cancelled), which would count it twice if booked held it too; likewise a rejected request
 * counts only as rejected. The old half of a reschedule (status `rescheduled`) is left out: its new half counts,
 * so a moved session counts once, in the week it now happens.
 */
export const BOOKED = ['scheduled', 'pending', 'completed'];

// Every statement reads the bookings as `b` (the range and the local clock are written against it).
const b = alias(calBookings, 'b');
const a = alias(calBookingAttendees, 'a');
const e = alias(calEventTypes, 'e');

/**
 * Runs `work` in a read-only transaction without JIT (compiling these plans costs seconds and saves milliseconds)
 * and with plans made for each request's own range: a generic plan, which PostgreSQL switches to after a few runs of
 * a prepared statement, cannot see how many rows a range holds.
 */
export function withoutJit<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return transaction(
    db,
    async (tx) => {
      await execute(
        tx,
        sql`select set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`,
      );
      return await work(tx);
    },
    { readOnly: true },
  );
}

function picked(range: InsightsRange, timeZone: string) {
  // Dates are the owner's calendar days: `from` at its local midnight up to the local midnight after `to`.
  return sql`${b.startTime} >= timezone(${timeZone}, ${range.from}::date::timestamp)
    and ${b.startTime} < timezone(${timeZone}, (${range.to}::date + 1)::timestamp)
    ${range.eventType ? sql`and ${b.eventTypeId} = ${range.eventType}` : sql``}`;
}

/** The owner's wall clock over a range: a booking start's local seconds, and where the first week starts. */
export interface LocalClock {
  local: ReturnType<typeof localSeconds>;
  /** The first week's Monday 00:00, in the same local seconds. */
  firstMonday: number;
}

export function localClock(range: InsightsRange, timeZone: string): LocalClock {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`) + 86_400_000;
  // Wall-clock dates as UTC instants are at most 14 hours off the real ones: the segments cover a day either side.
  return {
    local: localSeconds(offsetSegments(timeZone, from, to), b.startTime),
    firstMonday: Date.parse(`${mondayOf(range.from)}T00:00:00Z`) / 1000,
  };
}

/** The week a booking falls in, counted from the range's first week. */
const weekOf = (clock: LocalClock) => sql`floor((${clock.local} - ${clock.firstMonday}) / 604800)::int`;

/** Counts per (week, event type), with the event type's price and currency. */
export function weekTypeRows(db: Database | Transaction, range: InsightsRange, timeZone: string, clock: LocalClock) {
  return queryRows<WeekTypeRow>(
    db,
    sql`
    with counts as (
      select ${weekOf(clock)} as week, ${b.eventTypeId} as event_type_id,
        count(*) filter (where ${b.status} in ${BOOKED})::int as booked,
        count(*) filter (where ${b.status} = 'completed')::int as completed,
        count(*) filter (where ${b.status} = 'cancelled')::int as cancelled,
        count(*) filter (where ${b.status} = 'rejected')::int as rejected,
        count(*) filter (where ${b.status} = 'rescheduled')::int as rescheduled,
        max(${b.eventTypeSlug}) as booking_slug
      from ${calBookings} ${b}
      where ${picked(range, timeZone)}
      group by 1, 2)
    select c.week, c.event_type_id, ${e.title}, coalesce(${e.slug}, c.booking_slug) as slug, ${e.price},
      -- Cal.com stores an event type without a payment app as price 0, currency "usd" (getStripeAppData's default).
      lower(coalesce(nullif(${e.currency}, ''), 'usd')) as currency,
      c.booked, c.completed, c.cancelled, c.rejected, c.rescheduled
    from counts c left join ${calEventTypes} ${e} on ${e.calEventTypeId} = c.event_type_id
    order by 1, 2`,
  );
}

/**
 * Completed bookings with a no-show, per (week, event type): someone still on the booking was marked absent. The
 * attendee rows are the truth for the people they hold (API answers and no-show webhooks both keep them current);
 * `no_show_attendees` (the last BOOKING_NO_SHOW_UPDATED list) speaks only for an e-mail without an attendee row. A
 * seated booking counts once, however many of its seats were empty.
 */
export function noShowRows(db: Database | Transaction, range: InsightsRange, timeZone: string, clock: LocalClock) {
  return queryRows<{ week: number; event_type_id: string | null; no_show: number }>(
    db,
    sql`
    with absent as (
      select ${a.bookingUid} as uid from ${calBookingAttendees} ${a} where ${a.absent} and ${a.leftAt} is null
      union
      select ${b.calUid} from ${calBookings} ${b}
      where ${b.noShowAttendees} is not null and ${picked(range, timeZone)}
        and jsonb_typeof(${b.noShowAttendees}) = 'array'
        and exists (select 1 from jsonb_array_elements(${b.noShowAttendees}) m
          where m->>'noShow' = 'true' and not exists (select 1 from ${calBookingAttendees} ${a}
            where ${a.bookingUid} = ${b.calUid} and lower(${a.email}) = lower(m->>'email'))))
    select ${weekOf(clock)} as week, ${b.eventTypeId}, count(*)::int as no_show
    from absent join ${calBookings} ${b} on ${b.calUid} = absent.uid
    where ${b.status} = 'completed' and ${picked(range, timeZone)}
    group by 1, 2`,
  );
}

/** Booked sessions per ISO weekday (1 = Monday) and hour on the owner's clock. */
export function weekdayHourRows(db: Database | Transaction, range: InsightsRange, timeZone: string, clock: LocalClock) {
  // 1970-01-01 was a Thursday: day 0 is weekday 4.
  return queryRows<{ weekday: number; hour: number; bookings: number }>(
    db,
    sql`
    select (((floor(l.s / 86400)::int + 3) % 7) + 7) % 7 + 1 as weekday,
      ((floor(l.s / 3600)::int % 24) + 24) % 24 as hour,
      count(*)::int as bookings
    from ${calBookings} ${b}, lateral (select ${clock.local} as s) l
    where ${picked(range, timeZone)} and ${b.status} in ${BOOKED}
    group by 1, 2`,
  );
}

/**
 * The median time from booking to session over booked sessions, in seconds. A row created after its session
 * started was mirrored later (a sync of older history): then Cal.com's own `createdAt`, kept in `metadata` from the
 * API answer, tells when it was booked. Only those rows' metadata is read: it is the widest column by far.
 */
export async function medianLeadSeconds(
  db: Database | Transaction,
  range: InsightsRange,
  timeZone: string,
): Promise<number | null> {
  const row = await queryRow<{ median: number | null }>(
    db,
    sql`
    select percentile_cont(0.5) within group (order by date_part('epoch', ${b.startTime} - case
      when ${b.createdAt} < ${b.startTime} then ${b.createdAt}
      when ${b.metadata}->>'createdAt' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$'
        then least(${b.createdAt}, (${b.metadata}->>'createdAt')::timestamptz)
      else ${b.createdAt} end))::float8 as median
    from ${calBookings} ${b}
    where ${picked(range, timeZone)} and ${b.status} in ${BOOKED}`,
  );
  return row?.median ?? null;
}

/** Event types for the page's filter: every one the mirror knows, deleted ones left out. */
export function eventTypeChoices(db: Database) {
  const e = calEventTypes;
  return queryRows<{ id: string; title: string | null; slug: string | null }>(
    db,
    sql`select ${e.calEventTypeId} as id, ${e.title}, ${e.slug} from ${e}
    where ${e.deletedAt} is null order by lower(coalesce(${e.title}, ${e.slug}, ${e.calEventTypeId}))`,
  );
}
