import type { Sql } from '@calsync/db';
import type { InsightsRange } from './insights-range.ts';

// The SQL behind the insights. Each statement reads only the bookings whose start falls in the range (the
// (start_time, id) index), so a year costs the same however long the history is.

/** One group of bookings: one event type in one week (its currency comes with the event type). */
export interface WeekTypeRow {
  week: string;
  event_type_id: string | null;
  title: string | null;
  slug: string | null;
  currency: string;
  booked: number;
  completed: number;
  cancelled: number;
  rejected: number;
  rescheduled: number;
  no_show: number;
  revenue: string;
}

/**
 * The statuses that count as `booked`: a session that stands, whether still ahead (scheduled, pending) or held
 * (completed). A cancelled booking was once scheduled, but the contract's cancellation_rate is
 * cancelled ÷ (booked + cancelled), which would count it twice if booked held it too; likewise a rejected request
 * counts only as rejected. The old half of a reschedule (status `rescheduled`) is left out: its new half counts,
 * so a moved session counts once, in the week it now happens.
 */
export const BOOKED_STATUSES = ['scheduled', 'pending', 'completed'] as const;

function picked(sql: Sql, range: InsightsRange, timeZone: string) {
  // Dates are the owner's calendar days: `from` at its local midnight up to the local midnight after `to`.
  return sql`b.start_time >= timezone(${timeZone}, ${range.from}::date::timestamp)
    and b.start_time < timezone(${timeZone}, (${range.to}::date + 1)::timestamp)
    ${range.eventType ? sql`and b.event_type_id = ${range.eventType}` : sql``}`;
}

/**
 * A completed booking had a no-show when someone still on it was marked absent. The attendee rows are the truth for
 * the people they hold (API answers and no-show webhooks both keep them current); `no_show_attendees` (the last
 * BOOKING_NO_SHOW_UPDATED list) speaks only for an e-mail that has no attendee row. A seated booking counts once,
 * however many of its seats were empty.
 */
function noShow(sql: Sql) {
  return sql`(exists (select 1 from cal_booking_attendees a
      where a.booking_uid = b.cal_uid and a.absent and a.left_at is null)
    or (jsonb_typeof(b.no_show_attendees) = 'array' and exists (
      select 1 from jsonb_array_elements(b.no_show_attendees) m
      where m->>'noShow' = 'true' and not exists (select 1 from cal_booking_attendees a
        where a.booking_uid = b.cal_uid and lower(a.email) = lower(m->>'email')))))`;
}

/** Counts and revenue per (week, event type): the weeks, the event types and the totals are all sums of these. */
export function weekTypeRows(sql: Sql, range: InsightsRange, timeZone: string) {
  return sql<WeekTypeRow[]>`
    select to_char(date_trunc('week', b.start_time at time zone ${timeZone}), 'YYYY-MM-DD') as week,
      b.event_type_id,
      -- Cal.com stores an event type without a payment app as price 0, currency "usd" (getStripeAppData's default).
      lower(coalesce(nullif(e.currency, ''), 'usd')) as currency,
      max(e.title) as title,
      coalesce(max(e.slug), max(b.event_type_slug)) as slug,
      count(*) filter (where b.status in ('scheduled', 'pending', 'completed'))::int as booked,
      count(*) filter (where b.status = 'completed')::int as completed,
      count(*) filter (where b.status = 'cancelled')::int as cancelled,
      count(*) filter (where b.status = 'rejected')::int as rejected,
      count(*) filter (where b.status = 'rescheduled')::int as rescheduled,
      count(*) filter (where b.status = 'completed' and ${noShow(sql)})::int as no_show,
      coalesce(sum(e.price) filter (where b.status = 'completed' and e.price > 0), 0)::text as revenue
    from cal_bookings b
    left join cal_event_types e on e.cal_event_type_id = b.event_type_id
    where ${picked(sql, range, timeZone)}
    group by 1, 2, 3
    order by 1, 2`;
}

/** Booked sessions per ISO weekday (1 = Monday) and hour on the owner's clock. */
export function weekdayHourRows(sql: Sql, range: InsightsRange, timeZone: string) {
  return sql<Array<{ weekday: number; hour: number; bookings: number }>>`
    select extract(isodow from b.start_time at time zone ${timeZone})::int as weekday,
      extract(hour from b.start_time at time zone ${timeZone})::int as hour,
      count(*)::int as bookings
    from cal_bookings b
    where ${picked(sql, range, timeZone)} and b.status in ('scheduled', 'pending', 'completed')
    group by 1, 2`;
}

/**
 * The median time from booking to session over booked sessions, in seconds. "Booked" is the earlier of the row's
 * creation and Cal.com's own `createdAt` (kept in `metadata` from API answers): a booking mirrored by a later sync
 * was made long before its row.
 */
export async function medianLeadSeconds(sql: Sql, range: InsightsRange, timeZone: string): Promise<number | null> {
  const [row] = await sql<Array<{ median: number | null }>>`
    select percentile_cont(0.5) within group (order by extract(epoch from b.start_time - least(b.created_at,
      case when b.metadata->>'createdAt' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$'
        then (b.metadata->>'createdAt')::timestamptz end)))::float8 as median
    from cal_bookings b
    where ${picked(sql, range, timeZone)} and b.status in ('scheduled', 'pending', 'completed')`;
  return row?.median ?? null;
}

/** Event types for the page's filter: every one the mirror knows, deleted ones left out. */
export function eventTypeChoices(sql: Sql) {
  return sql<Array<{ id: string; title: string | null; slug: string | null }>>`
    select cal_event_type_id as id, title, slug from cal_event_types
    where deleted_at is null order by lower(coalesce(title, slug, cal_event_type_id))`;
}
