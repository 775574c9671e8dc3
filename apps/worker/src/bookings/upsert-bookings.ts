import { type Database, executePrepared, type Transaction } from '@calsync/db';
import { sql } from 'drizzle-orm';
import type { BookingState } from './booking-state.ts';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

export interface BookingUpsert {
  state: BookingState;
  /** Time of the information: webhook envelope `createdAt`, flat body `updatedAt`, API `updatedAt`. */
  infoAt: Date;
  /**
   * `reconcile`: a full reconciliation's answer for a booking settled upstream (timed by when it was fetched): it
   * decides the status even against a cancellation or completion calsync holds, so a late or wrong webhook cannot
   * hide the truth for good.
   */
  source: 'webhook' | 'api' | 'reconcile';
  /**
   * Status-neutral facts (MEETING_STARTED, BOOKING_PAID, no-show): never change status or source_updated_at, only
   * create the row when unknown (with no source_updated_at, so any real information wins) or fill its unknown columns.
   * They never write metadata.
   */
  fillOnly?: boolean;
}

// Columns merged by the plain rule: [column, SQL type in the incoming recordset].
const mergedColumns = [
  ['cal_booking_id', 'text'],
  ['event_type_id', 'text'],
  ['event_type_slug', 'text'],
  ['title', 'text'],
  ['start_time', 'timestamptz'],
  ['end_time', 'timestamptz'],
  ['organizer_timezone', 'text'],
  ['meeting_url', 'text'],
  ['location', 'text'],
  ['rescheduled_from_uid', 'text'],
  ['rescheduled_to_uid', 'text'],
  ['cancellation_reason', 'text'],
  ['rejection_reason', 'text'],
  ['cal_status', 'text'],
  ['recurring_booking_uid', 'text'],
  ['seats_per_time_slot', 'int'],
  ['no_show_host', 'boolean'],
] as const;

// The first attendee (the one who booked) stays: a seat holder joining later never replaces them.
const firstWriterColumns = [
  ['attendee_name', 'text'],
  ['attendee_email', 'text'],
  ['attendee_timezone', 'text'],
] as const;
const recordsetColumns = [...mergedColumns, ...firstWriterColumns];

const cur = (c: string) => `cal_bookings.${c}`;
const inc = (c: string) => `excluded.${c}`;
// `excluded.source_updated_at` carries infoAt; a fill-only item carries null there, so it is never "newer".
const NEWER = `coalesce(${inc('source_updated_at')} >= coalesce(${cur('source_updated_at')}, '-infinity'), false)`;

function mergedExpression(column: string): string {
  return `case when ${NEWER} then coalesce(${inc(column)}, ${cur(column)}) else coalesce(${cur(column)}, ${inc(column)}) end`;
}

// metadata `{}` counts as unknown, like a null.
const METADATA = `case when ${inc('metadata')} = '{}'::jsonb then ${cur('metadata')}
  when ${cur('metadata')} = '{}'::jsonb or ${NEWER} then ${inc('metadata')} else ${cur('metadata')} end`;

// Cancellation, rejection and rescheduling beat completion whatever the arrival order (so every order converges);
// an incoming `completed` never replaces them; an incoming `scheduled` never reverts a finished meeting.
const STATUS = `case
  when excluded.source = 'reconcile' and ${NEWER} then ${inc('status')}
  when ${cur('status')} = 'completed' and ${inc('status')} in ('cancelled', 'rejected', 'rescheduled')
    and ${inc('source_updated_at')} is not null then ${inc('status')}
  when not ${NEWER} then ${cur('status')}
  when ${inc('status')} = 'completed' and ${cur('status')} in ('cancelled', 'rejected', 'rescheduled') then ${cur('status')}
  when ${inc('status')} = 'scheduled' and ${cur('status')} = 'completed'
    and coalesce(${inc('end_time')}, ${cur('end_time')}) <= now() then ${cur('status')}
  else ${inc('status')} end`;

const SOURCE_UPDATED_AT = `case when ${NEWER} then ${inc('source_updated_at')} else ${cur('source_updated_at')} end`;
const SOURCE = `case when ${NEWER} then excluded.source else ${cur('source')} end`;

const assignments: Array<[string, string]> = [
  ...mergedColumns.map(([c]) => [c, mergedExpression(c)] as [string, string]),
  ...firstWriterColumns.map(([c]) => [c, `coalesce(${cur(c)}, ${inc(c)})`] as [string, string]),
  ['metadata', METADATA],
  ['status', STATUS],
  ['source_updated_at', SOURCE_UPDATED_AT],
  ['source', SOURCE],
];
const contentAssignments = assignments.filter(([c]) => c !== 'source_updated_at' && c !== 'source');

// `json`, not `jsonb`: the parameter is read once, and json_to_recordset skips building a jsonb value first.
const RECORDSET_HEAD = 'with incoming as (select * from json_to_recordset(';
const UPSERT_TAIL = `::json) as x(
    ord int, cal_uid text, ${recordsetColumns.map(([c, t]) => `${c} ${t}`).join(', ')},
    status text, metadata jsonb, info_at timestamptz, source text, fill_only boolean)
),
written as (
  insert into cal_bookings (cal_uid, ${recordsetColumns.map(([c]) => c).join(', ')}, status, metadata, source_updated_at, source)
  select cal_uid, ${recordsetColumns.map(([c]) => c).join(', ')}, status, coalesce(metadata, '{}'::jsonb),
    case when fill_only then null else info_at end,
    source
  from incoming
  on conflict (cal_uid) do update set
    ${assignments.map(([c, e]) => `${c} = ${e}`).join(',\n    ')},
    updated_at = now()
  where (${contentAssignments.map(([c]) => cur(c)).join(', ')})
      is distinct from (${contentAssignments.map(([, e]) => e).join(', ')})
    -- Newer information that says the same still moves the clock, so older information cannot undo it later; a
    -- reconciliation that finds the row right leaves it alone (it is no correction).
    or (excluded.source <> 'reconcile' and (${cur('source_updated_at')}, ${cur('source')})
      is distinct from (${SOURCE_UPDATED_AT}, ${SOURCE}))
  returning cal_uid, (xmax = 0) as inserted
)
select i.ord, w.cal_uid is not null as written, coalesce(w.inserted, false) as inserted,
  (i.fill_only or (b.source_updated_at is not null and i.info_at < b.source_updated_at)) as older
-- cal_bookings is read here as it was before this statement's writes (one statement, one snapshot): the row's clock
-- before the merge, found by the unique index instead of a join against the recordset.
from incoming i left join written w on w.cal_uid = i.cal_uid left join cal_bookings b on b.cal_uid = i.cal_uid
order by i.ord`;

/**
 * The one merge rule for booking state (webhooks and syncs): newer-or-same information overwrites what it knows,
 * older information only fills what is still unknown, so any arrival order converges to the in-order result.
 * One multi-row statement per round; a uid appearing twice goes into a later round. Returns one outcome per item.
 */
export async function upsertBookings(db: Database | Transaction, items: BookingUpsert[]): Promise<UpsertOutcome[]> {
  const outcomes: UpsertOutcome[] = new Array(items.length);
  for (const round of splitRounds(items)) {
    const rows = round.map(({ item, index }) => toRecord(item, index));
    const statement = sql`${sql.raw(RECORDSET_HEAD)}${JSON.stringify(rows)}${sql.raw(UPSERT_TAIL)}`;
    const result = await executePrepared<{ ord: number; written: boolean; inserted: boolean; older: boolean }>(
      db,
      statement,
    );
    for (const row of result) {
      outcomes[row.ord] = row.inserted ? 'created' : row.older ? 'stale' : row.written ? 'updated' : 'unchanged';
    }
  }
  return outcomes;
}

const ROUND_SIZE = 500;

/** Splits items into statements where no uid appears twice (ON CONFLICT cannot touch one row twice). */
function splitRounds(items: BookingUpsert[]): Array<Array<{ item: BookingUpsert; index: number }>> {
  const rounds: Array<{ uids: Set<string>; entries: Array<{ item: BookingUpsert; index: number }> }> = [];
  items.forEach((item, index) => {
    let round = rounds.find((r) => !r.uids.has(item.state.calUid) && r.entries.length < ROUND_SIZE);
    if (!round) {
      round = { uids: new Set(), entries: [] };
      rounds.push(round);
    }
    round.uids.add(item.state.calUid);
    round.entries.push({ item, index });
  });
  // Rows in uid order: concurrent batches lock shared rows in the same order, so they wait instead of deadlocking.
  return rounds.map((r) => r.entries.sort((a, b) => (a.item.state.calUid < b.item.state.calUid ? -1 : 1)));
}

function toRecord({ state: s, infoAt, source, fillOnly }: BookingUpsert, ord: number) {
  // Fill-only items never write metadata: two of them (PAYMENT_INITIATED, PAID) would otherwise keep whichever came first.
  const metadata = !fillOnly && s.metadata && Object.keys(s.metadata).length > 0 ? s.metadata : null;
  return {
    ord,
    cal_uid: s.calUid,
    cal_booking_id: s.calBookingId,
    event_type_id: s.eventTypeId,
    event_type_slug: s.eventTypeSlug,
    title: s.title,
    start_time: s.startTime?.toISOString() ?? null,
    end_time: s.endTime?.toISOString() ?? null,
    attendee_name: s.attendeeName,
    attendee_email: s.attendeeEmail,
    attendee_timezone: s.attendeeTimezone,
    organizer_timezone: s.organizerTimezone,
    meeting_url: s.meetingUrl,
    location: s.location,
    rescheduled_from_uid: s.rescheduledFromUid,
    rescheduled_to_uid: s.rescheduledToUid,
    cancellation_reason: s.cancellationReason,
    rejection_reason: s.rejectionReason,
    cal_status: s.calStatus,
    recurring_booking_uid: s.recurringBookingUid,
    seats_per_time_slot: s.seatsPerTimeSlot,
    no_show_host: s.noShowHost,
    status: s.status,
    metadata,
    info_at: infoAt.toISOString(),
    source,
    fill_only: fillOnly ?? false,
  };
}
