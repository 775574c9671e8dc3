import { type Database, execute, type Transaction } from '@calsync/db';
import { sql } from 'drizzle-orm';

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

// Per attendee: newer-or-same information overwrites what it says, older only fills what is unknown.
const NEWER = `coalesce(excluded.info_at >= coalesce(a.info_at, '-infinity'), true)`;
// Leaving always follows joining: at the same time, the leave wins, whichever arrived first.
const LEAVE_NEWER = `coalesce(excluded.info_at > coalesce(a.info_at, '-infinity')
  or (excluded.info_at = a.info_at and excluded.left_at is not null), true)`;
const merged = (c: string) =>
  `${c} = case when ${NEWER} then coalesce(excluded.${c}, a.${c}) else coalesce(a.${c}, excluded.${c}) end`;

const UPSERT_ATTENDEES = `with incoming as (
  select * from json_to_recordset($1::json) as x(ord int, booking_uid text, email text, name text, time_zone text,
    locale text, phone_number text, seat_uid text, absent boolean, at timestamptz, leaving boolean)
)
insert into cal_booking_attendees as a (booking_uid, email, name, time_zone, locale, phone_number, seat_uid, absent,
  position, left_at, info_at)
select i.booking_uid, i.email, i.name, i.time_zone, i.locale, i.phone_number, i.seat_uid, i.absent,
  coalesce((select max(p.position) + 1 from cal_booking_attendees p where p.booking_uid = i.booking_uid), 0)
    + (row_number() over (partition by i.booking_uid order by i.ord))::int - 1,
  case when i.leaving then i.at end, i.at
from incoming i
on conflict (booking_uid, lower(email)) do update set
  ${['name', 'time_zone', 'locale', 'phone_number', 'seat_uid', 'absent'].map(merged).join(',\n  ')},
  left_at = case when ${LEAVE_NEWER} then excluded.left_at else a.left_at end,
  info_at = greatest(a.info_at, excluded.info_at)
where (a.name, a.time_zone, a.locale, a.phone_number, a.seat_uid, a.absent, a.left_at, a.info_at)
  is distinct from (excluded.name, excluded.time_zone, excluded.locale, excluded.phone_number, excluded.seat_uid,
    excluded.absent, excluded.left_at, excluded.info_at)`;

// After a `replace`: whoever is still on the booking but not in the answer has left, unless newer information says so.
const LEAVE_UNLISTED = `with listed as (
  select * from json_to_recordset($1::json) as x(booking_uid text, emails jsonb, at timestamptz)
)
update cal_booking_attendees a set left_at = l.at, info_at = l.at
from listed l
where a.booking_uid = l.booking_uid and a.left_at is null and coalesce(a.info_at, '-infinity') <= l.at
  and not (l.emails ? lower(a.email))`;

// A seated booking's status follows its seats whatever order the seat deliveries came in: cancelled when everyone on
// it has left, scheduled again when someone holds a seat (Cal.com reopens a cancelled seated booking for a new seat).
// A cancellation the API stated is reopened only by newer information, which makes the row's source `webhook` first.
const SETTLE_SEATED = `update cal_bookings b set status = s.status, updated_at = now()
from (select b2.cal_uid, case when exists (select 1 from cal_booking_attendees a
    where a.booking_uid = b2.cal_uid and a.left_at is null) then 'scheduled' else 'cancelled' end as status
  from cal_bookings b2 where b2.cal_uid in (select json_array_elements_text($1::json))
    and (b2.status = 'scheduled' or (b2.status = 'cancelled' and b2.source = 'webhook'))
    and exists (select 1 from cal_booking_attendees a where a.booking_uid = b2.cal_uid)) s
where b.cal_uid = s.cal_uid and b.status <> s.status`;

const MARK_ABSENT = `update cal_booking_attendees a set absent = x.no_show
from json_to_recordset($1::json) as x(booking_uid text, email text, no_show boolean)
where a.booking_uid = x.booking_uid and lower(a.email) = lower(x.email) and a.absent is distinct from x.no_show`;

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
  const replaced: Array<{ booking_uid: string; emails: string[]; at: string }> = [];
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
      replaced.push({ booking_uid: change.uid, emails: change.attendees.map((a) => lower(a.email)), at });
    }
  }
  for (const round of rounds(people)) await run(db, UPSERT_ATTENDEES, round);
  if (replaced.length > 0) await run(db, LEAVE_UNLISTED, replaced);
  if (absences.length > 0) await run(db, MARK_ABSENT, absences);
  if (seated.size > 0) await run(db, SETTLE_SEATED, [...seated].sort());
}

/** Runs one of the statements above with `rows` as its JSON parameter `$1`. */
async function run(db: Database | Transaction, text: string, rows: unknown[]) {
  const [head, tail] = text.split('$1') as [string, string];
  await execute(db, sql`${sql.raw(head)}${JSON.stringify(rows)}${sql.raw(tail)}`);
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
