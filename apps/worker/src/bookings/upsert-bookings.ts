import { type calBookings, type Database, queryRows, type Transaction } from '@calsync/db';
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

/** A column of cal_bookings by its schema name: a renamed or removed column fails typecheck here. */
type BookingColumn = keyof typeof calBookings.$inferSelect;
/** Its name in SQL (the schema's snake_case casing). */
const col = (key: BookingColumn) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// Columns merged by the plain rule: [column, SQL type in the incoming recordset].
const mergedColumns = [
  ['calBookingId', 'text'],
  ['eventTypeId', 'text'],
  ['eventTypeSlug', 'text'],
  ['title', 'text'],
  ['startTime', 'timestamptz'],
  ['endTime', 'timestamptz'],
  ['organizerTimezone', 'text'],
  ['meetingUrl', 'text'],
  ['location', 'text'],
  ['rescheduledFromUid', 'text'],
  ['rescheduledToUid', 'text'],
  ['cancellationReason', 'text'],
  ['rejectionReason', 'text'],
  ['calStatus', 'text'],
  ['recurringBookingUid', 'text'],
  ['seatsPerTimeSlot', 'int'],
  ['noShowHost', 'boolean'],
] as const satisfies ReadonlyArray<readonly [BookingColumn, string]>;

// The first attendee (the one who booked) stays: a seat holder joining later never replaces them.
const firstWriterColumns = [
  ['attendeeName', 'text'],
  ['attendeeEmail', 'text'],
  ['attendeeTimezone', 'text'],
] as const satisfies ReadonlyArray<readonly [BookingColumn, string]>;
const recordsetColumns = [...mergedColumns, ...firstWriterColumns];
type RecordsetColumn = (typeof recordsetColumns)[number][0];

const cur = (c: BookingColumn) => `cal_bookings.${col(c)}`;
const inc = (c: BookingColumn) => `excluded.${col(c)}`;
// `excluded.source_updated_at` carries infoAt; a fill-only item carries null there, so it is never "newer".
const NEWER = `coalesce(${inc('sourceUpdatedAt')} >= coalesce(${cur('sourceUpdatedAt')}, '-infinity'), false)`;

function mergedExpression(column: BookingColumn): string {
  return `case when ${NEWER} then coalesce(${inc(column)}, ${cur(column)}) else coalesce(${cur(column)}, ${inc(column)}) end`;
}

// metadata `{}` counts as unknown, like a null.
const METADATA = `case when ${inc('metadata')} = '{}'::jsonb then ${cur('metadata')}
  when ${cur('metadata')} = '{}'::jsonb or ${NEWER} then ${inc('metadata')} else ${cur('metadata')} end`;

// Cancellation, rejection and rescheduling beat completion whatever the arrival order (so every order converges);
// an incoming `completed` never replaces them; an incoming `scheduled` never reverts a finished meeting.
const STATUS = `case
  when ${inc('source')} = 'reconcile' and ${NEWER} then ${inc('status')}
  when ${cur('status')} = 'completed' and ${inc('status')} in ('cancelled', 'rejected', 'rescheduled')
    and ${inc('sourceUpdatedAt')} is not null then ${inc('status')}
  when not ${NEWER} then ${cur('status')}
  when ${inc('status')} = 'completed' and ${cur('status')} in ('cancelled', 'rejected', 'rescheduled') then ${cur('status')}
  when ${inc('status')} = 'scheduled' and ${cur('status')} = 'completed'
    and coalesce(${inc('endTime')}, ${cur('endTime')}) <= now() then ${cur('status')}
  else ${inc('status')} end`;

const SOURCE_UPDATED_AT = `case when ${NEWER} then ${inc('sourceUpdatedAt')} else ${cur('sourceUpdatedAt')} end`;
const SOURCE = `case when ${NEWER} then ${inc('source')} else ${cur('source')} end`;

const assignments: Array<[BookingColumn, string]> = [
  ...mergedColumns.map(([c]) => [c, mergedExpression(c)] as [BookingColumn, string]),
  ...firstWriterColumns.map(([c]) => [c, `coalesce(${cur(c)}, ${inc(c)})`] as [BookingColumn, string]),
  ['metadata', METADATA],
  ['status', STATUS],
  ['sourceUpdatedAt', SOURCE_UPDATED_AT],
  ['source', SOURCE],
];
const contentAssignments = assignments.filter(([c]) => c !== 'sourceUpdatedAt' && c !== 'source');
const recordsetNames = recordsetColumns.map(([c]) => col(c)).join(', ');
/** Each recordset column's SQL name, worked out once: `toRecord` runs for every booking written. */
const recordsetName = Object.fromEntries(recordsetColumns.map(([c]) => [c, col(c)])) as Record<RecordsetColumn, string>;

// `jsonb`: each booking's metadata is most of the parameter. A jsonb recordset hands it on as it is; json_to_recordset
// reads the whole text, then parses every metadata object again into jsonb (the statement took 23 ms a page of 250
// bookings with json, 15 ms with jsonb).
const RECORDSET_HEAD = 'with incoming as (select * from jsonb_to_recordset(';
const UPSERT_TAIL = `::jsonb) as x(
    ord int, cal_uid text, ${recordsetColumns.map(([c, t]) => `${col(c)} ${t}`).join(', ')},
    status text, metadata jsonb, info_at timestamptz, source text, fill_only boolean)
),
written as (
  insert into cal_bookings (${col('calUid')}, ${recordsetNames}, ${col('status')}, ${col('metadata')},
    ${col('sourceUpdatedAt')}, ${col('source')})
  select cal_uid, ${recordsetNames}, status, coalesce(metadata, '{}'::jsonb),
    case when fill_only then null else info_at end,
    source
  from incoming
  on conflict (${col('calUid')}) do update set
    ${assignments.map(([c, e]) => `${col(c)} = ${e}`).join(',\n    ')},
    ${col('updatedAt')} = now()
  where (${contentAssignments.map(([c]) => cur(c)).join(', ')})
      is distinct from (${contentAssignments.map(([, e]) => e).join(', ')})
    -- Newer information that says the same still moves the clock, so older information cannot undo it later; a
    -- reconciliation that finds the row right leaves it alone (it is no correction).
    or (${inc('source')} <> 'reconcile' and (${cur('sourceUpdatedAt')}, ${cur('source')})
      is distinct from (${SOURCE_UPDATED_AT}, ${SOURCE}))
  returning ${col('calUid')} as cal_uid, (xmax = 0) as inserted
)
select i.ord, w.cal_uid is not null as written, coalesce(w.inserted, false) as inserted,
  (i.fill_only or (b.${col('sourceUpdatedAt')} is not null and i.info_at < b.${col('sourceUpdatedAt')})) as older
-- cal_bookings is read here as it was before this statement's writes (one statement, one snapshot): the row's clock
-- before the merge, found by the unique index instead of a join against the recordset.
from incoming i left join written w on w.cal_uid = i.cal_uid left join cal_bookings b on b.${col('calUid')} = i.cal_uid
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
    const result = await queryRows<{ ord: number; written: boolean; inserted: boolean; older: boolean }>(db, statement);
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
  // Keyed like the recordset's columns: a column added to recordsetColumns and missing here fails typecheck.
  const values: Record<RecordsetColumn, unknown> = {
    calBookingId: s.calBookingId,
    eventTypeId: s.eventTypeId,
    eventTypeSlug: s.eventTypeSlug,
    title: s.title,
    startTime: s.startTime?.toISOString() ?? null,
    endTime: s.endTime?.toISOString() ?? null,
    attendeeName: s.attendeeName,
    attendeeEmail: s.attendeeEmail,
    attendeeTimezone: s.attendeeTimezone,
    organizerTimezone: s.organizerTimezone,
    meetingUrl: s.meetingUrl,
    location: s.location,
    rescheduledFromUid: s.rescheduledFromUid,
    rescheduledToUid: s.rescheduledToUid,
    cancellationReason: s.cancellationReason,
    rejectionReason: s.rejectionReason,
    calStatus: s.calStatus,
    recurringBookingUid: s.recurringBookingUid,
    seatsPerTimeSlot: s.seatsPerTimeSlot,
    noShowHost: s.noShowHost,
  };
  const record: Record<string, unknown> = {
    ord,
    cal_uid: s.calUid,
    status: s.status,
    metadata,
    info_at: infoAt.toISOString(),
    source,
    fill_only: fillOnly ?? false,
  };
  for (const [key, value] of Object.entries(values)) record[recordsetName[key as RecordsetColumn]] = value;
  return record;
}
