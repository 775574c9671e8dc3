import { useTestEnv, waitUntil } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertBooking,
  notificationRows,
  type SmtpSink,
  settledRows,
  startSmtpSink,
  startTestNotifications,
} from '../../test/notifications-harness.ts';
import type { RunningWorker } from '../start-worker.ts';

const env = useTestEnv();
let smtp: SmtpSink;
let part: RunningWorker;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // Offsets of seconds: each booking below gets a reminder 6 s and 3 s before it starts.
  part = await startTestNotifications(env, { SMTP_URL: smtp.url, REMINDER_OFFSETS: '6s,3s' });
});
afterAll(async () => {
  await part?.close();
  await smtp?.close();
});

const LATE_BOUND_MS = 5_000;
const inSeconds = (s: number) => new Date(Date.now() + s * 1_000);
const mailsTo = (email: string) => smtp.mails.filter((m) => m.to === email);

describe('attendee reminders', () => {
  it('go out at start − offset, in the attendee’s zone and language, with Cal.com’s links and an .ics', async () => {
    await env.sql`insert into cal_event_types (cal_event_type_id, slug, title) values ('501', 'intro', 'Intro call')`;
    const start = inSeconds(10);
    await insertBooking(env.sql, {
      uid: 'remind-tokyo',
      start,
      eventTypeId: '501',
      meetingUrl: 'https://meet.example/tokyo',
      attendees: [{ email: 'hana@example.com', name: 'Hana', timeZone: 'Asia/Tokyo', locale: 'de' }],
    });

    const [early, late] = await waitUntil('both reminders', () => {
      const mails = mailsTo('hana@example.com');
      return mails.length >= 2 && mails;
    });
    // Never before their time; after it, within a bound loose enough for a loaded CI machine (the bench measures
    // how late reminders really are).
    expect(early!.arrivedAt).toBeGreaterThanOrEqual(start.getTime() - 6_000);
    expect(early!.arrivedAt).toBeLessThan(start.getTime() - 6_000 + LATE_BOUND_MS);
    expect(late!.arrivedAt).toBeGreaterThanOrEqual(start.getTime() - 3_000);
    expect(late!.arrivedAt).toBeLessThan(start.getTime() - 3_000 + LATE_BOUND_MS);

    const tokyoTime = new Intl.DateTimeFormat('de', { timeZone: 'Asia/Tokyo', timeStyle: 'short' }).format(start);
    expect(early!.subject).toBe(
      `Erinnerung: Intro call am ${new Intl.DateTimeFormat('de', { timeZone: 'Asia/Tokyo', dateStyle: 'full' }).format(start)} um ${tokyoTime}`,
    );
    expect(early!.text).toContain(`${tokyoTime} – `);
    expect(early!.text).toContain('(Asia/Tokyo)');
    expect(early!.text).toContain('https://meet.example/tokyo');
    expect(early!.text).toContain('https://app.cal.com/reschedule/remind-tokyo?rescheduledBy=hana%40example.com');
    expect(early!.text).toContain(
      'https://app.cal.com/booking/remind-tokyo?cancel=true&allRemainingBookings=false&cancelledBy=hana%40example.com',
    );
    expect(early!.html).toContain('<a href="https://meet.example/tokyo">');
    expect(early!.parsed.from?.text).toBe('"Coaching" <hello@example.com>');
    expect(early!.ics).toContain('UID:remind-tokyo');
    expect(early!.ics).toContain(
      `DTSTART:${start
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '')}`,
    );
    expect(await settledRows(env.sql, 'remind-tokyo')).toMatchObject([
      { offset_ms: 6_000, status: 'sent', attempts: 1 },
      { offset_ms: 3_000, status: 'sent', attempts: 1 },
    ]);
  });

  it('skip an offset already past when the booking appears, and none for a past booking', async () => {
    await insertBooking(env.sql, {
      uid: 'remind-soon',
      start: inSeconds(4.5),
      attendees: [{ email: 'soon@example.com' }],
    });
    await insertBooking(env.sql, {
      uid: 'remind-past',
      start: inSeconds(-60),
      attendees: [{ email: 'past@example.com' }],
    });
    await waitUntil('the 3 s reminder', () => mailsTo('soon@example.com').length === 1);
    expect(await settledRows(env.sql, 'remind-soon')).toMatchObject([{ offset_ms: 3_000, status: 'sent' }]);
    expect(await settledRows(env.sql, 'remind-past')).toEqual([]);
    expect(mailsTo('past@example.com')).toEqual([]);
  });

  it('move with a reschedule and are gone after a cancellation or rejection', async () => {
    const firstStart = inSeconds(9);
    await insertBooking(env.sql, { uid: 'moved', start: firstStart, attendees: [{ email: 'moved@example.com' }] });
    await insertBooking(env.sql, { uid: 'cancelled', start: inSeconds(9), attendees: [{ email: 'gone@example.com' }] });
    await insertBooking(env.sql, { uid: 'rejected', start: inSeconds(9), attendees: [{ email: 'no@example.com' }] });
    // Cal.com's reschedule: the old half becomes `rescheduled`, a new uid holds the new time.
    await insertBooking(env.sql, { uid: 'old-half', start: inSeconds(9), attendees: [{ email: 'half@example.com' }] });
    for (const uid of ['moved', 'cancelled', 'rejected', 'old-half']) {
      await waitUntil(
        `${uid}'s reminders to be scheduled`,
        async () => (await notificationRows(env.sql, uid)).length === 2,
      );
    }

    const newStart = inSeconds(13);
    await env.sql`update cal_bookings set start_time = ${newStart.toISOString()}, end_time = ${newStart.toISOString()} where cal_uid = 'moved'`;
    await env.sql`update cal_bookings set status = 'cancelled' where cal_uid = 'cancelled'`;
    await env.sql`update cal_bookings set status = 'rejected' where cal_uid = 'rejected'`;
    await env.sql`update cal_bookings set status = 'rescheduled', rescheduled_to_uid = 'new-half' where cal_uid = 'old-half'`;
    await insertBooking(env.sql, { uid: 'new-half', start: newStart, attendees: [{ email: 'half@example.com' }] });

    // The moved reminders arrive at the new time; by then every cancelled one would have fallen due long before.
    await waitUntil(
      'the moved reminders',
      () => mailsTo('moved@example.com').length === 2 && mailsTo('half@example.com').length === 2,
    );
    for (const mail of [...mailsTo('moved@example.com'), ...mailsTo('half@example.com')]) {
      expect(mail.arrivedAt).toBeGreaterThanOrEqual(newStart.getTime() - 6_000);
    }
    expect(mailsTo('gone@example.com')).toEqual([]);
    expect(mailsTo('no@example.com')).toEqual([]);
    const moved = await settledRows(env.sql, 'moved');
    expect(moved.map((r) => [r.offset_ms, r.status, Date.parse(r.start_time)])).toEqual(
      expect.arrayContaining([
        [6_000, 'cancelled', firstStart.getTime()],
        [3_000, 'cancelled', firstStart.getTime()],
        [6_000, 'sent', newStart.getTime()],
        [3_000, 'sent', newStart.getTime()],
      ]),
    );
    expect((await settledRows(env.sql, 'cancelled')).map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect((await settledRows(env.sql, 'old-half')).map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('go to each active seat holder of a seated booking, not to one who left', async () => {
    await insertBooking(env.sql, {
      uid: 'seated',
      start: inSeconds(8),
      attendees: [
        { email: 'seat-a@example.com', seatUid: 'seat-a', timeZone: 'America/New_York' },
        { email: 'seat-b@example.com', seatUid: 'seat-b', timeZone: 'Europe/Paris', locale: 'fr' },
        { email: 'seat-c@example.com', seatUid: 'seat-c' },
      ],
    });
    await env.sql`update cal_booking_attendees set left_at = now() where email = 'seat-c@example.com'`;
    await waitUntil(
      'both seats’ reminders',
      () => mailsTo('seat-a@example.com').length === 2 && mailsTo('seat-b@example.com').length === 2,
    );
    expect(mailsTo('seat-c@example.com')).toEqual([]);
    const [paris] = mailsTo('seat-b@example.com');
    expect(paris!.text).toContain('(Europe/Paris)');
    expect(paris!.text).toContain('https://app.cal.com/reschedule/seat-b?rescheduledBy=seat-b%40example.com');
    expect(paris!.text).toContain('&seatReferenceUid=seat-b');
  });
});
