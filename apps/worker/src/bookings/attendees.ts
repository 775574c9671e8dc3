import { calBookingAttendees, calBookings, columnName, type Database, execute, type Transaction } from '@calsync/db';
import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';

/** One person on a booking as a webhook or the API tells it; null means "not said". */
export interface AttendeeInfo {
  email: string;
  name: string | null;
  timeZone: string | null;
  locale: string | null;
  phoneNumber: string | null;
  seatUid: string | null;
  absent: boolean | null;
}

/**
 * What a source says about a booking's attendees, timed by `at`: each attendee row remembers the time of the newest
 * information applied to it (`info_at`), and older information only fills what is unknown.
 * - `join`: these people are on the booking (a booking made, a seat taken);
 * - `leave`: these people left it (a seat cancelled or moved);
 * - `replace`: the whole list (an API answer): the listed are on it, anyone else still on it has left;
 * - `absent`: no-show marks.
 */
export type AttendeeChange =
  | {
      kind: 'join' | 'leave' | 'replace';
      uid: string;
      at: Date;
      attendees: AttendeeInfo[];
      /** A seat taken or cancelled on a seated booking: the booking is cancelled exactly when nobody holds a seat. */
      seated?: boolean;
    }
  | { kind: 'absent'; uid: string; at: Date; marks: Array<{ email: string; noShow: boolean }> };

const lower = (email: string) => email.toLowerCase();

const t = calBookingAttendees;
const a = alias(calBookingAttendees, 'a');
const p = alias(calBookingAttendees, 'p');
const b = alias(calBookings, 'b');
const b2 = alias(calBookings, 'b2');
/** The value the conflicting insert proposed for a column (`excluded.col`). */
const excluded = (column: AnyPgColumn) => sql`excluded.${columnName(column)}`;

// Per attendee: newer-or-same information overwrites what it says, older only fills what is unknown.
const NEWER = sql`coalesce(${excluded(a.infoAt)} >= coalesce(${a.infoAt}, '-infinity'), true)`;
// Leaving always follows joining: at the same time, the leave wins, whichever arrived first.
const LEAVE_NEWER = sql`coalesce(${excluded(a.infoAt)} > coalesce(${a.infoAt}, '-infinity')
  or (${excluded(a.infoAt)} = ${a.infoAt} and ${excluded(a.leftAt)} is not null), true)`;
const merged = (c: AnyPgColumn) =>
  sql`${columnName(c)} = case when ${NEWER} then coalesce(${excluded(c)}, ${c}) else coalesce(${c}, ${excluded(c)}) end`;
const mergedColumns = [a.name, a.timeZone, a.locale, a.phoneNumber, a.seatUid, a.absent];
// What an update compares to skip writing a row it would not change.
const comparedColumns = [...mergedColumns, a.leftAt, a.infoAt];

const UPSERT_ATTENDEES = (json: string) => sql`with incoming as (
  select * from json_to_recordset(${json}::json) as x(ord int, booking_uid text, email text, name text, time_zone text,
    locale text, phone_number text, seat_uid text, absent boolean, at timestamptz, leaving boolean)
)
insert into ${t} as ${a} (${columnName(t.bookingUid)}, ${columnName(t.email)}, ${columnName(t.name)},
  ${columnName(t.timeZone)}, ${columnName(t.locale)}, ${columnName(t.phoneNumber)}, ${columnName(t.seatUid)},
  ${columnName(t.absent)}, ${columnName(t.position)}, ${columnName(t.leftAt)}, ${columnName(t.infoAt)})
select i.booking_uid, i.email, i.name, i.time_zone, i.locale, i.phone_number, i.seat_uid, i.absent,
  coalesce((select max(${p.position}) + 1 from ${t} ${p} where ${p.bookingUid} = i.booking_uid), 0)
    + (row_number() over (partition by i.booking_uid order by i.ord))::int - 1,
  case when i.leaving then i.at end, i.at
from incoming i
on conflict (${columnName(t.bookingUid)}, lower(${columnName(t.email)})) do update set
  ${sql.join(mergedColumns.map(merged), sql`,\n  `)},
  ${columnName(a.leftAt)} = case when ${LEAVE_NEWER} then ${excluded(a.leftAt)} else ${a.leftAt} end,
  ${columnName(a.infoAt)} = greatest(${a.infoAt}, ${excluded(a.infoAt)})
where (${sql.join(comparedColumns, sql`, `)})
  is distinct from (${sql.join(comparedColumns.map(excluded), sql`, `)})`;

// The updates of attendees find their rows through `booking_uid = any(…)`, an index condition whatever the table's
// statistics say. A plain join to the recordset is planned from statistics, and a reconciliation grows the table
// faster than autovacuum analyses it: PostgreSQL then scans the whole table for every page (attendees.test.ts).
const onBookings = (uids: SQL) => sql`${a.bookingUid} = any(array(${uids}))`;

// After a `replace`: whoever is still on the booking but not in the answer has left, unless newer information says so.
// One statement per answer time. `listed` holds `uid` + LISTED_SEPARATOR + lower(e-mail) for everyone the answers list:
// a constant array (statements are planned per call), so PostgreSQL looks each attendee up in it by hash. A join to a
// recordset here was planned as a nested loop that compared every attendee of a page with every answer on it.
const LISTED_SEPARATOR = '\n';
const LEAVE_UNLISTED = (uids: string[], listed: string[], at: string) => sql`update ${t} ${a}
set ${columnName(a.leftAt)} = ${at}::timestamptz, ${columnName(a.infoAt)} = ${at}::timestamptz
where ${onBookings(sql`select unnest(${sql.param(uids)}::text[])`)} and ${a.leftAt} is null
  and coalesce(${a.infoAt}, '-infinity') <= ${at}::timestamptz
  and ${a.bookingUid} || ${LISTED_SEPARATOR} || lower(${a.email}) <> all(${sql.param(listed)}::text[])`;

// A seated booking's status follows its seats whatever order the seat deliveries came in: cancelled when everyone on
// it has left, scheduled again when someone holds a seat (Cal.com reopens a cancelled seated booking for a new seat).
// A cancellation the API stated is reopened only by newer information, which makes the row's source `webhook` first.
const SETTLE_SEATED = (json: string) => sql`update ${calBookings} ${b}
set ${columnName(b.status)} = s.status, ${columnName(b.updatedAt)} = now()
from (select ${b2.calUid} as cal_uid, case when exists (select 1 from ${t} ${a}
    where ${a.bookingUid} = ${b2.calUid} and ${a.leftAt} is null) then 'scheduled' else 'cancelled' end as status
  from ${calBookings} ${b2} where ${b2.calUid} in (select json_array_elements_text(${json}::json))
    and (${b2.status} = 'scheduled' or (${b2.status} = 'cancelled' and ${b2.source} = 'webhook'))
    and exists (select 1 from ${t} ${a} where ${a.bookingUid} = ${b2.calUid})) s
where ${b.calUid} = s.cal_uid and ${b.status} <> s.status`;

const MARK_ABSENT = (json: string) => sql`with marks as (
  select * from json_to_recordset(${json}::json) as x(booking_uid text, email text, no_show boolean)
)
update ${t} ${a} set ${columnName(a.absent)} = x.no_show
from marks x
where ${onBookings(sql`select booking_uid from marks`)} and ${a.bookingUid} = x.booking_uid
  and lower(${a.email}) = lower(x.email) and ${a.absent} is distinct from x.no_show`;

/** One attendee in the statements' JSON parameter. */
interface AttendeeRow {
  ord: number;
  booking_uid: string;
  email: string;
  name: string | null;
  time_zone: string | null;
  locale: string | null;
  phone_number: string | null;
  seat_uid: string | null;
  absent: boolean | null;
  at: string;
  leaving: boolean;
}

/**
 * Applies attendee changes for bookings whose rows exist (call after `upsertBookings`). One statement per round; an
 * attendee appearing twice goes into a later round, so changes apply in the order given.
 */
export async function writeAttendees(db: Database | Transaction, changes: AttendeeChange[]): Promise<void> {
  const people: AttendeeRow[] = [];
  const seated = new Set<string>();
  /** Per answer time: the bookings whose whole list was given, and who is on those lists. */
  const replaced = new Map<string, { uids: string[]; listed: string[] }>();
  const absences: Array<{ booking_uid: string; email: string; no_show: boolean }> = [];
  for (const change of changes) {
    if (change.kind === 'absent') {
      absences.push(...change.marks.map((m) => ({ booking_uid: change.uid, email: m.email, no_show: m.noShow })));
      continue;
    }
    const at = change.at.toISOString();
    if (change.seated) seated.add(change.uid);
    for (const a of change.attendees) {
      people.push({
        // Order of arrival across the whole statement, so two changes to one booking never share a position.
        ord: people.length,
        booking_uid: change.uid,
        email: a.email,
        name: a.name,
        time_zone: a.timeZone,
        locale: a.locale,
        phone_number: a.phoneNumber,
        seat_uid: a.seatUid,
        absent: a.absent,
        at,
        leaving: change.kind === 'leave',
      });
    }
    if (change.kind === 'replace') {
      const answers = replaced.get(at) ?? { uids: [], listed: [] };
      replaced.set(at, answers);
      answers.uids.push(change.uid);
      for (const a of change.attendees) answers.listed.push(`${change.uid}${LISTED_SEPARATOR}${lower(a.email)}`);
    }
  }
  for (const round of rounds(people)) await run(db, UPSERT_ATTENDEES, round);
  for (const [at, answers] of replaced) await execute(db, LEAVE_UNLISTED(answers.uids, answers.listed, at));
  if (absences.length > 0) await run(db, MARK_ABSENT, absences);
  if (seated.size > 0) await run(db, SETTLE_SEATED, [...seated].sort());
}

/** Runs one of the statements above with `rows` as its JSON parameter. */
async function run(db: Database | Transaction, statement: (json: string) => SQL, rows: unknown[]) {
  await execute(db, statement(JSON.stringify(rows)));
}

/** Splits rows so that no (booking, e-mail) appears twice in one statement (ON CONFLICT cannot touch a row twice). */
function rounds<T extends { booking_uid: string; email: string }>(rows: T[]): T[][] {
  const out: Array<{ keys: Set<string>; rows: T[] }> = [];
  for (const row of rows) {
    const key = `${row.booking_uid}\u0000${row.email.toLowerCase()}`;
    let round = out.find((r) => !r.keys.has(key));
    if (!round) {
      round = { keys: new Set(), rows: [] };
      out.push(round);
    }
    round.keys.add(key);
    round.rows.push(row);
  }
  return out.map((r) => r.rows);
}
