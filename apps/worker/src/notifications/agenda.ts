import { type Database, execute, queryRows } from '@calsync/db';
import { sql } from 'drizzle-orm';

/** The daily agenda goes out from this hour (OWNER_TIMEZONE) until noon; after noon that day's is skipped. */
export const AGENDA_HOUR = 7;
const AGENDA_LAST_HOUR = 12;

/** The local date (YYYY-MM-DD) and hour of `now` in `timeZone`. */
export function localDateAndHour(now: Date, timeZone: string): { date: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/**
 * Writes today's agenda row once 07:00 has come in the owner's zone (one per local date: the dedupe key). A process
 * that starts in the afternoon does not send the morning's agenda late.
 */
export async function writeAgendaIfDue(db: Database, ownerEmail: string, timeZone: string, now: Date): Promise<void> {
  const { date, hour } = localDateAndHour(now, timeZone);
  if (hour < AGENDA_HOUR || hour >= AGENDA_LAST_HOUR) return;
  await execute(
    db,
    sql`
    insert into notifications (dedupe_key, kind, recipient, due_at, next_attempt_at, details)
    values (${`agenda:${date}`}, 'agenda', ${ownerEmail}, now(), now(), ${JSON.stringify({ date, time_zone: timeZone })}::jsonb)
    on conflict (dedupe_key) do nothing`,
  );
}

export interface AgendaItem {
  start_time: string;
  end_time: string | null;
  title: string | null;
  attendee_name: string | null;
  attendee_email: string | null;
  status: string;
}

/** The day's sessions (scheduled or held) and every pending request still ahead, as the agenda lists them. */
export async function loadAgenda(db: Database, date: string, timeZone: string) {
  const sessions = await queryRows<AgendaItem>(
    db,
    sql`
    select start_time::text, end_time::text, title, attendee_name, attendee_email, status from cal_bookings
    where status in ('scheduled', 'completed')
      and start_time >= (${date}::date)::timestamp at time zone ${timeZone}
      and start_time < (${date}::date + 1)::timestamp at time zone ${timeZone}
    order by start_time`,
  );
  const pending = await queryRows<AgendaItem>(
    db,
    sql`
    select start_time::text, end_time::text, title, attendee_name, attendee_email, status from cal_bookings
    where status = 'pending' and start_time > now() order by start_time limit 200`,
  );
  return { sessions, pending };
}
