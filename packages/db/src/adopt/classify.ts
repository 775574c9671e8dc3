import { type AdoptedTableName, adoptedTables, quoteIdent } from './original-tables.ts';

/**
 * Status spellings the original tables hold (lowercased, trimmed) → calsync's status. Anything else is not guessed:
 * the row is reported and kept aside, and the reconciliation brings the booking back from Cal.com.
 */
export const statusSpellings: Readonly<Record<string, string>> = {
  scheduled: 'scheduled',
  accepted: 'scheduled',
  confirmed: 'scheduled',
  booked: 'scheduled',
  upcoming: 'scheduled',
  pending: 'pending',
  unconfirmed: 'pending',
  requested: 'pending',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  rejected: 'rejected',
  declined: 'rejected',
  rescheduled: 'rescheduled',
  completed: 'completed',
};

/** Each source column cast to calsync's type, or a typed null where the original table lacks it. */
function sourceColumns(table: AdoptedTableName, present: ReadonlyMap<string, string>): string {
  return Object.entries(adoptedTables[table])
    .map(([column, type]) => `${present.has(column) ? `o.${quoteIdent(column)}` : 'null'}::${type} as ${column}`)
    .join(',\n      ');
}

const blank = (expression: string) => `nullif(btrim(${expression}), '')`;

/**
 * One row per original booking: calsync's values (cal_uid derived, status normalised) and, for a row that cannot be
 * adopted as is, `reason` and `detail`. Of rows sharing a Cal.com key the most recently updated one is adopted.
 * Parameter $1: the status spellings as JSON.
 */
export function classifyBookingsSql(source: string, present: ReadonlyMap<string, string>): string {
  const order = 'updated_at desc nulls last, created_at desc nulls last, id';
  return `with src as (
    select ${sourceColumns('cal_bookings', present)}, to_jsonb(o) as original_row
    from ${quoteIdent(source)} o
  ),
  derived as (
    select s.*, ${blank('s.cal_uid')} as uid_column, ${blank('s.cal_booking_id')} as booking_key,
      coalesce(${blank("s.metadata->>'uid'")}, ${blank("s.metadata #>> '{payload,uid}'")}) as uid_metadata,
      ($1::text::jsonb ->> lower(btrim(s.status))) as normalised_status
    from src s
  ),
  keyed as (
    select d.*,
      -- The original stored either Cal.com's numeric booking id or its uid in cal_booking_id: a non-numeric one is the uid.
      coalesce(d.uid_column, d.uid_metadata, case when d.booking_key !~ '^[0-9]+$' then d.booking_key end) as new_uid,
      case when d.uid_column is not null then 'column' when d.uid_metadata is not null then 'metadata'
        when d.booking_key !~ '^[0-9]+$' then 'cal_booking_id' end as uid_source
    from derived d
  ),
  checked as (
    select k.*, case when k.new_uid is null then 'no_cal_uid' when k.normalised_status is null then 'unknown_status' end
      as problem
    from keyed k
  ),
  by_uid as (
    select c.*, row_number() over w as uid_rank, first_value(c.id) over w as uid_winner
    from checked c window w as (partition by c.problem is null, c.new_uid order by ${order})
  ),
  by_booking_id as (
    select b.*, row_number() over w as key_rank, first_value(b.id) over w as key_winner
    from by_uid b
    window w as (partition by b.problem is null and b.uid_rank = 1, b.booking_key order by ${order})
  )
  select x.*,
    case when x.problem is not null then x.problem
      when x.uid_rank > 1 then 'duplicate_cal_uid'
      when x.booking_key is not null and x.key_rank > 1 then 'duplicate_cal_booking_id' end as reason,
    case when x.problem = 'no_cal_uid' then 'no cal_uid, no metadata.uid and no uid in cal_booking_id'
      when x.problem = 'unknown_status' then format('status %s is not one calsync knows', coalesce(quote_literal(x.status), 'null'))
      when x.uid_rank > 1 then format('cal_uid %s is also row %s, updated more recently', x.new_uid, x.uid_winner)
      when x.booking_key is not null and x.key_rank > 1
        then format('cal_booking_id %s is also row %s, updated more recently', x.booking_key, x.key_winner) end as detail
  from by_booking_id x`;
}

/** One row per original event type, as `classifyBookingsSql`; the Cal.com key is cal_event_type_id. */
export function classifyEventTypesSql(source: string, present: ReadonlyMap<string, string>): string {
  const order = 'last_synced_at desc nulls last, created_at desc nulls last, id';
  return `with src as (
    select ${sourceColumns('cal_event_types', present)}, to_jsonb(o) as original_row
    from ${quoteIdent(source)} o
  ),
  keyed as (
    select s.*, ${blank('s.cal_event_type_id')} as type_key from src s
  ),
  ranked as (
    select k.*, row_number() over w as key_rank, first_value(k.id) over w as key_winner
    from keyed k window w as (partition by k.type_key order by ${order})
  )
  select r.*, null::text as uid_source,
    case when r.type_key is null then 'no_cal_event_type_id' when r.key_rank > 1 then 'duplicate_cal_event_type_id' end
      as reason,
    case when r.type_key is null then 'no cal_event_type_id'
      when r.key_rank > 1 then format('cal_event_type_id %s is also row %s, synced more recently', r.type_key, r.key_winner)
      end as detail
  from ranked r`;
}

/** Column list → values for inserting the adoptable bookings into calsync's table (as its first migration made it). */
export const bookingInsert = {
  columns: `id, cal_booking_id, cal_uid, event_type_id, event_type_slug, title, start_time, end_time, attendee_name,
    attendee_email, attendee_timezone, status, meeting_url, location, metadata, created_at, updated_at,
    source_updated_at`,
  // The original's updated_at is the time of the newest information it applied: the merge rule's source_updated_at.
  values: `id, booking_key, new_uid, event_type_id, event_type_slug, title, start_time, end_time, attendee_name,
    attendee_email, attendee_timezone, normalised_status, meeting_url, location, coalesce(metadata, '{}'::jsonb),
    coalesce(created_at, updated_at, now()), coalesce(updated_at, created_at, now()), updated_at`,
};

export const eventTypeInsert = {
  columns: `id, cal_event_type_id, slug, title, description, length, price, currency, active, metadata,
    last_synced_at, created_at, updated_at`,
  // An unknown `active` stays invisible to the public, as the original's `using (active)` policies treated it.
  values: `id, type_key, slug, title, description, length, price, currency, coalesce(active, false),
    coalesce(metadata, '{}'::jsonb), last_synced_at, coalesce(created_at, last_synced_at, now()),
    coalesce(last_synced_at, created_at, now())`,
};
