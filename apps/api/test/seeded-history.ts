import type { TestEnv } from '@calsync/test-support';

/**
 * A hand-checked history for the insights tests, owner in Europe/Berlin, range 2026-03-16 … 2026-04-05 (three
 * weeks; the clocks go forward on Sunday 2026-03-29). Each booking's comment gives its Berlin wall-clock time and
 * week; the expected figures in `insights.history.test.ts` are worked out from these comments.
 */
export const HISTORY_ZONE = 'Europe/Berlin';
export const HISTORY_RANGE = { from: '2026-03-16', to: '2026-04-05' };

interface Row {
  uid: string;
  status: string;
  type: string | null;
  start: string;
  created?: string;
  metadata?: Record<string, unknown>;
  rescheduledFrom?: string;
  rescheduledTo?: string;
  noShowAttendees?: Array<{ email: string; noShow: boolean }>;
  noShowHost?: boolean;
  attendees?: Array<{ email: string; absent: boolean | null; left?: boolean }>;
}

const eventTypes = [
  { id: '101', slug: 'coaching', title: 'Coaching', price: 5000, currency: 'EUR', seats: null },
  { id: '102', slug: 'intro', title: 'Intro call', price: 8000, currency: 'usd', seats: null },
  { id: '103', slug: 'group', title: 'Group session', price: 2000, currency: 'gbp', seats: 3 },
  { id: '105', slug: 'free-chat', title: 'Free chat', price: 0, currency: 'eur', seats: null },
];

const bookings: Row[] = [
  // Week 2026-03-16.
  { uid: 'b1', status: 'completed', type: '101', start: '2026-03-16T08:00:00Z', created: '2026-03-14T08:00:00Z' }, // Mon 09:00
  {
    // Mon 00:30 in Berlin though still Sunday in UTC: inside the range, in the Monday's week.
    uid: 'b2',
    status: 'completed',
    type: '102',
    start: '2026-03-15T23:30:00Z',
    created: '2026-03-15T23:00:00Z',
    attendees: [{ email: 'ana@example.com', absent: true }],
  },
  { uid: 'b3', status: 'rescheduled', type: '101', start: '2026-03-17T10:00:00Z', rescheduledTo: 'b4' }, // Tue, moved
  {
    uid: 'b4', // Wed 11:00: b3's new half, same week
    status: 'scheduled',
    type: '101',
    start: '2026-03-18T10:00:00Z',
    created: '2026-03-17T10:00:00Z',
    rescheduledFrom: 'b3',
  },
  // Week 2026-03-23.
  { uid: 'b5', status: 'cancelled', type: '101', start: '2026-03-24T09:00:00Z' },
  { uid: 'b6', status: 'rejected', type: '102', start: '2026-03-25T09:00:00Z' },
  { uid: 'b7', status: 'rescheduled', type: '101', start: '2026-03-26T09:00:00Z', rescheduledTo: 'b8' }, // moved a week on
  {
    // Fri 15:00: the no-show is known only from the last BOOKING_NO_SHOW_UPDATED list (no attendee rows).
    uid: 'b9',
    status: 'completed',
    type: '102',
    start: '2026-03-27T14:00:00Z',
    created: '2026-03-27T13:00:00Z',
    noShowAttendees: [{ email: 'jo@example.com', noShow: true }],
  },
  {
    // Fri 16:00: the attendee row (absent = false, newer) outranks the old no-show list for the same e-mail.
    uid: 'b10',
    status: 'completed',
    type: '102',
    start: '2026-03-27T15:00:00Z',
    created: '2026-03-26T15:00:00Z',
    noShowAttendees: [{ email: 'Kim@example.com', noShow: true }],
    attendees: [{ email: 'kim@example.com', absent: false }],
  },
  // Week 2026-03-30 (summer time from the Sunday before).
  {
    // Wed 10:00 CEST, b7's new half, mirrored by a sync after it happened: Cal.com's createdAt (kept from the API
    // answer) tells when it was booked, not the row's creation.
    uid: 'b8',
    status: 'completed',
    type: '101',
    start: '2026-04-01T08:00:00Z',
    created: '2026-04-02T08:00:00Z',
    metadata: { createdAt: '2026-03-20T08:00:00.000Z' },
    rescheduledFrom: 'b7',
  },
  {
    // Mon 00:30 CEST (22:30 UTC on the Sunday of the change): the new week. One booking, three seats: one seat
    // holder absent, one absent but gone before the session (does not count), one present.
    uid: 'b11',
    status: 'completed',
    type: '103',
    start: '2026-03-29T22:30:00Z',
    created: '2026-03-29T20:30:00Z',
    attendees: [
      { email: 'seat1@example.com', absent: false },
      { email: 'seat2@example.com', absent: true },
      { email: 'seat3@example.com', absent: true, left: true },
    ],
  },
  { uid: 'b12', status: 'completed', type: '101', start: '2026-04-05T21:30:00Z', created: '2026-04-05T21:00:00Z' }, // Sun 23:30
  { uid: 'b13', status: 'completed', type: '101', start: '2026-04-05T22:30:00Z' }, // Mon 04-06 00:30: after the range
  { uid: 'b14', status: 'pending', type: '102', start: '2026-04-02T09:00:00Z', created: '2026-04-01T09:00:00Z' }, // Thu 11:00
  {
    uid: 'b15', // Fri 11:00, no event type; only the host was absent, which is not an attendee no-show
    status: 'completed',
    type: null,
    start: '2026-04-03T09:00:00Z',
    created: '2026-04-03T08:00:00Z',
    noShowHost: true,
  },
  { uid: 'b16', status: 'completed', type: '105', start: '2026-04-03T10:00:00Z', created: '2026-04-03T09:00:00Z' }, // Fri 12:00
  { uid: 'b17', status: 'cancelled', type: '101', start: '2026-03-10T09:00:00Z' }, // before the range
  { uid: 'b18', status: 'cancelled', type: '103', start: '2026-03-31T09:00:00Z' }, // Tue
];

/** Writes the history's event types and bookings (with their attendees) into the test database. */
export async function seedHistory(env: Pick<TestEnv, 'sql'>): Promise<void> {
  const { sql } = env;
  for (const t of eventTypes) {
    await sql`insert into cal_event_types (cal_event_type_id, slug, title, price, currency, length, active)
      values (${t.id}, ${t.slug}, ${t.title}, ${t.price}, ${t.currency}, 60, true)`;
  }
  for (const b of bookings) {
    const type = eventTypes.find((t) => t.id === b.type);
    const start = new Date(b.start);
    const end = new Date(start.getTime() + 3_600_000);
    const created = b.created ?? new Date(start.getTime() - 86_400_000).toISOString();
    const noShows = b.noShowAttendees ? JSON.stringify(b.noShowAttendees) : null;
    await sql`insert into cal_bookings (cal_uid, cal_booking_id, status, event_type_id, event_type_slug, title,
        start_time, end_time, attendee_name, attendee_email, created_at, metadata, rescheduled_from_uid,
        rescheduled_to_uid, no_show_attendees, no_show_host, seats_per_time_slot)
      values (${b.uid}, ${`9${b.uid.slice(1)}`}, ${b.status}, ${b.type}, ${type?.slug ?? null},
        ${`${type?.title ?? 'Session'} with ${b.uid}`}, ${start.toISOString()}, ${end.toISOString()},
        ${`Attendee ${b.uid}`}, ${`${b.uid}@example.com`}, ${created}, ${JSON.stringify(b.metadata ?? {})}::jsonb,
        ${b.rescheduledFrom ?? null}, ${b.rescheduledTo ?? null}, ${noShows}::jsonb, ${b.noShowHost ?? null},
        ${type?.seats ?? null})`;
    for (const [position, a] of (b.attendees ?? []).entries()) {
      await sql`insert into cal_booking_attendees (booking_uid, email, absent, position, left_at)
        values (${b.uid}, ${a.email}, ${a.absent}, ${position}, ${a.left ? b.start : null})`;
    }
  }
}
