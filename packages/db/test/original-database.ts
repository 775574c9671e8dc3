import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';

/** What adoption must do with one original booking: adopt it (with this cal_uid and status) or reject it. */
export type ExpectedOutcome =
  | { adopt: true; calUid: string; status: string }
  | { adopt: false; reason: 'no_cal_uid' | 'unknown_status' | 'duplicate_cal_uid' };

export interface OriginalBooking {
  id: string;
  cal_booking_id: string | null;
  cal_uid: string | null;
  status: string | null;
  attendee_email: string;
  metadata: Record<string, unknown>;
  updated_at: string;
  expected: ExpectedOutcome;
}

export interface OriginalDatabase {
  url: string;
  bookings: OriginalBooking[];
  /** Event type rows; the ones without a Cal.com id cannot be adopted. */
  eventTypes: Array<{ id: string; cal_event_type_id: string | null }>;
}

const schema = readFileSync(new URL('./original-schema.sql', import.meta.url), 'utf8');

/** How the original spelt statuses, and what calsync reads in each. */
const spellings: Array<[string, string]> = [
  ['ACCEPTED', 'scheduled'],
  ['accepted', 'scheduled'],
  [' Confirmed ', 'scheduled'],
  ['booked', 'scheduled'],
  ['scheduled', 'scheduled'],
  ['PENDING', 'pending'],
  ['canceled', 'cancelled'],
  ['CANCELLED', 'cancelled'],
  ['rejected', 'rejected'],
  ['rescheduled', 'rescheduled'],
  ['completed', 'completed'],
];
const unknownStatuses = ['AWAITING_HOST', 'no-show', null];

const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();

/**
 * Original bookings, every 40 in the same pattern: plain rows in every status spelling, and one of each problem a real
 * history holds (a null uid that metadata knows, a uid stored in cal_booking_id, no uid at all, an unknown status,
 * a uid held by an older and by a newer row).
 */
export function originalBookings(count: number): OriginalBooking[] {
  const rows: OriginalBooking[] = [];
  for (let i = 0; i < count; i++) {
    const [spelt, status] = spellings[i % spellings.length]!;
    const row: OriginalBooking = {
      id: randomUUID(),
      cal_booking_id: String(500_000 + i),
      cal_uid: `bk${i}`,
      status: spelt,
      attendee_email: `guest${i}@example.com`,
      metadata: { uid: `bk${i}`, bookingId: 500_000 + i },
      updated_at: at(i),
      expected: { adopt: true, calUid: `bk${i}`, status },
    };
    const group = i - (i % 40);
    switch (i % 40) {
      case 1: // null uid, metadata knows it
        Object.assign(row, { cal_uid: null, metadata: { uid: `meta${i}` } });
        row.expected = { adopt: true, calUid: `meta${i}`, status };
        break;
      case 2: // null uid, the uid was stored in cal_booking_id
        Object.assign(row, { cal_uid: null, metadata: {}, cal_booking_id: `Uid${i}xYz` });
        row.expected = { adopt: true, calUid: `Uid${i}xYz`, status };
        break;
      case 3:
        Object.assign(row, { cal_uid: null, metadata: {} });
        row.expected = { adopt: false, reason: 'no_cal_uid' };
        break;
      case 4:
        row.status = unknownStatuses[Math.floor(i / 40) % unknownStatuses.length] ?? null;
        row.expected = { adopt: false, reason: 'unknown_status' };
        break;
      case 5: // same uid as the group's first row, older: not adopted
        Object.assign(row, { cal_uid: `bk${group}`, updated_at: at(group - 1) });
        row.expected = { adopt: false, reason: 'duplicate_cal_uid' };
        break;
      case 6: // same uid as the group's first row, newer: adopted, and the first row is not
        if (rows[group]) {
          Object.assign(row, { cal_uid: `bk${group}`, updated_at: at(i + 1) });
          row.expected = { adopt: true, calUid: `bk${group}`, status };
          rows[group]!.expected = { adopt: false, reason: 'duplicate_cal_uid' };
        }
        break;
    }
    rows.push(row);
  }
  return rows;
}

/** A database made with the original design's schema, holding `bookingCount` bookings and a few event types. */
export async function createOriginalDatabase(serverUrl: string, name: string, bookingCount: number) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(schema);
    const bookings = originalBookings(bookingCount);
    for (let start = 0; start < bookings.length; start += 1_000) {
      const chunk = bookings.slice(start, start + 1_000).map(({ expected: _, metadata, ...row }) => ({
        ...row,
        metadata: sql.json(metadata as postgres.JSONValue),
        title: `Coaching ${row.cal_booking_id}`,
        start_time: row.updated_at,
        end_time: row.updated_at,
        attendee_name: 'Guest',
      }));
      await sql`insert into cal_bookings ${sql(chunk)}`;
    }
    const eventTypes = Array.from({ length: 12 }, (_, i) => ({
      id: randomUUID(),
      cal_event_type_id: i % 6 === 5 ? null : String(900 + i),
      slug: `coaching-${i}`,
      active: i % 4 !== 3,
    }));
    await sql`insert into cal_event_types ${sql(eventTypes)}`;
    return { url: url.toString(), bookings, eventTypes } satisfies OriginalDatabase;
  } finally {
    await sql.end();
  }
}
