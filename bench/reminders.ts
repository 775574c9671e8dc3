import { type OwnRedis, waitUntil } from '@calsync/test-support';
import postgres from 'postgres';
import { startChild } from './support/children.ts';
import { freshDatabase } from './support/services.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

const DUE = 10_000;
const WORKERS = 2;
/** Reminders go out 60 s before start; the starts are spread so that every reminder falls due in one minute. */
const OFFSET_S = 60;
/** Its own database: other parts may be using calsync_bench at the same time. */
const DATABASE = 'calsync_bench_reminders';

export interface RemindersResult {
  due: number;
  sent: number;
  workers: number;
  late_max_s: number;
  late_p99_s: number;
  duplicates: number;
}

/**
 * 10,000 bookings (one attendee each) whose 60 s reminders all fall due within the same minute, starting `leadS`
 * from now; two workers send them to an SMTP sink. Measures how late the latest one arrived and whether any came twice.
 */
export async function benchReminders(redis: OwnRedis): Promise<RemindersResult> {
  const databaseUrl = await freshDatabase(DATABASE);
  await redis.flushAll();
  const smtp = await startSmtpSink();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Bench <bench@example.com>',
    REMINDER_OFFSETS: `${OFFSET_S}s`,
  };
  const workers = [];
  for (let i = 0; i < WORKERS; i++) workers.push(await startChild('worker', { ...env, LOG_LEVEL: 'info' }));
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  try {
    // The minute of due times starts 30 s from now, time enough for the workers to schedule every reminder.
    const firstDue = Date.now() + 30_000;
    await sql`
      insert into cal_bookings (cal_booking_id, cal_uid, title, start_time, end_time, status, attendee_email, created_at)
      select i::text, 'rem-' || i, 'Session ' || i, s, s + interval '30 minutes', 'scheduled',
             'a' || i || '@example.com', now() - interval '1 day'
      from generate_series(1, ${DUE}) as i,
        lateral (select to_timestamp(${firstDue / 1_000}::float8 + ${OFFSET_S}::int + (i % 60) + (i % 1000) / 1000.0) as s) t`;
    await sql`
      insert into cal_booking_attendees (booking_uid, email, position)
      select 'rem-' || i, 'a' || i || '@example.com', 0 from generate_series(1, ${DUE}) as i`;
    const dueAt = new Map(
      (
        await sql<{ email: string; due: number }[]>`
        select attendee_email as email, extract(epoch from start_time) * 1000 - ${OFFSET_S * 1_000}::int as due
        from cal_bookings`
      ).map((r) => [r.email, Number(r.due)]),
    );
    const deadline = firstDue + 60_000 + 120_000;
    const received = () => smtp.mails.reduce((n, m) => n + m.recipients.length, 0);
    // Past the deadline the run goes on: the table shows what was missing.
    await waitUntil(`${DUE} reminders`, received, (n) => n >= DUE, {
      timeoutMs: deadline - Date.now(),
      intervalMs: 250,
    }).catch(() => {});

    const seen = new Map<string, number>();
    const lateness: number[] = [];
    for (const mail of smtp.mails) {
      for (const to of mail.recipients) {
        seen.set(to, (seen.get(to) ?? 0) + 1);
        if (seen.get(to) === 1) lateness.push((mail.at - (dueAt.get(to) ?? mail.at)) / 1_000);
      }
    }
    lateness.sort((a, b) => a - b);
    const duplicates = [...seen.values()].reduce((n, count) => n + count - 1, 0);
    const round = (s: number) => Math.round(s * 100) / 100;
    return {
      due: DUE,
      sent: seen.size,
      workers: WORKERS,
      late_max_s: round(lateness.at(-1) ?? Number.NaN),
      late_p99_s: round(lateness[Math.floor(lateness.length * 0.99)] ?? Number.NaN),
      duplicates,
    };
  } finally {
    await sql.end();
    for (const worker of workers) await worker.stop();
    await smtp.close();
  }
}
