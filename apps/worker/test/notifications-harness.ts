// Test fixture, not part of the worker: a real SMTP server that keeps what arrives, booking rows to reminder about,
// and a notifications part started on a test file's database and Redis prefix.
import type { AddressInfo } from 'node:net';
import type { PgClient as Sql } from '@calsync/db';
import type { TestEnv } from '@calsync/test-support';
import { resourcesOf, waitUntil } from '@calsync/test-support';
import { type ParsedMail, simpleParser } from 'mailparser';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { loadWorkerEnv } from '../src/env.ts';
import { type NotificationOptions, startNotifications } from '../src/notifications/index.ts';
import type { RunningWorker } from '../src/start-worker.ts';

export interface ArrivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  ics: string | undefined;
  arrivedAt: number;
  parsed: ParsedMail;
}

export interface SmtpSink {
  url: string;
  mails: ArrivedMail[];
  /** RCPT TO attempts, refused ones included. */
  recipientsTried: string[];
  close: () => Promise<void>;
}

/** An SMTP server on a free port (no TLS, no auth). `refuse` answers 550 to the recipients it names. */
export async function startSmtpSink(options: { refuse?: (address: string) => boolean } = {}): Promise<SmtpSink> {
  const mails: ArrivedMail[] = [];
  const recipientsTried: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      recipientsTried.push(address.address);
      if (options.refuse?.(address.address)) {
        callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const ics = parsed.attachments.find((a) => a.filename?.endsWith('.ics'));
          for (const rcpt of session.envelope.rcptTo) {
            mails.push({
              to: rcpt.address,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              ics: ics?.content.toString('utf8'),
              arrivedAt: Date.now(),
              parsed,
            });
          }
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    recipientsTried,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface TestAttendee {
  email: string;
  name?: string;
  timeZone?: string;
  locale?: string;
  seatUid?: string;
}

export interface TestBooking {
  uid: string;
  start: Date;
  minutes?: number;
  status?: string;
  title?: string;
  eventTypeId?: string;
  meetingUrl?: string;
  attendees: TestAttendee[];
}

/** Writes a booking row and its attendees the way the mirror holds them. */
export async function insertBooking(sql: Sql, booking: TestBooking): Promise<void> {
  const end = new Date(booking.start.getTime() + (booking.minutes ?? 30) * 60_000);
  const first = booking.attendees[0];
  await sql`
    insert into cal_bookings (cal_uid, cal_booking_id, title, start_time, end_time, status, attendee_name, attendee_email,
                              attendee_timezone, event_type_id, meeting_url, organizer_timezone)
    values (${booking.uid}, ${`${booking.uid}-id`}, ${booking.title ?? 'Coaching session'}, ${booking.start.toISOString()}, ${end.toISOString()},
            ${booking.status ?? 'scheduled'}, ${first?.name ?? null}, ${first?.email ?? null}, ${first?.timeZone ?? null},
            ${booking.eventTypeId ?? null}, ${booking.meetingUrl ?? 'https://meet.example/abc'}, 'Europe/Berlin')`;
  for (const [position, attendee] of booking.attendees.entries()) {
    await sql`
      insert into cal_booking_attendees (booking_uid, email, name, time_zone, locale, seat_uid, position)
      values (${booking.uid}, ${attendee.email}, ${attendee.name ?? null}, ${attendee.timeZone ?? null},
              ${attendee.locale ?? null}, ${attendee.seatUid ?? null}, ${position})`;
  }
}

export async function notificationRows(sql: Sql, uid: string) {
  return await sql<
    {
      recipient: string;
      offset_ms: number;
      status: string;
      attempts: number;
      error: string | null;
      start_time: string;
    }[]
  >`
    select recipient, offset_ms::int, status, attempts, error, start_time::text from notifications
    where booking_uid = ${uid} order by offset_ms desc, recipient`;
}

/** The notifications part on the test file's services, e-mail on, ticking fast. */
export async function startTestNotifications(
  env: TestEnv,
  vars: Record<string, string>,
  options: NotificationOptions = {},
): Promise<RunningWorker> {
  const workerEnv = loadWorkerEnv({ MAIL_FROM: 'Coaching <hello@example.com>', ...vars });
  return await startNotifications(
    { env: workerEnv, resources: resourcesOf(env), logger: pino({ level: 'silent' }) },
    { tickEveryMs: 200, sendEveryMs: 100, fullPassEveryMs: 500, ownerCheckEveryMs: 500, ...options },
  );
}

/**
 * The rows of a booking once no send is in flight: the SMTP server has a message a moment before the sender records
 * the server's answer, so a test that saw a mail arrive waits for this before reading the rows.
 */
export async function settledRows(sql: Sql, uid: string) {
  return await waitUntil(`${uid}'s sends to be recorded`, async () => {
    const rows = await notificationRows(sql, uid);
    return rows.every((row) => row.status !== 'sending') && rows;
  });
}
