import { calBookings, columnName, type Database, execute, notifications, queryRows } from '@calsync/db';
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
  const n = notifications;
  await execute(
    db,
    sql`
    insert into ${n} (${columnName(n.dedupeKey)}, ${columnName(n.kind)}, ${columnName(n.recipient)},
      ${columnName(n.dueAt)}, ${columnName(n.nextAttemptAt)}, ${columnName(n.details)})
    values (${`agenda:${date}`}, 'agenda', ${ownerEmail}, now(), now(), ${JSON.stringify({ date, time_zone: timeZone })}::jsonb)
    on conflict (${columnName(n.dedupeKey)}) do nothing`,
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

const b = calBookings;
const agendaColumns = sql`${b.startTime}::text as start_time, ${b.endTime}::text as end_time, ${b.title},
  ${b.attendeeName}, ${b.attendeeEmail}, ${b.status}`;

/** The day's sessions (scheduled or held) and every pending request still ahead, as the agenda lists them. */
export async function loadAgenda(db: Database, date: string, timeZone: string) {
  const sessions = await queryRows<AgendaItem>(
    db,
    sql`select ${agendaColumns} from ${b}
    where ${b.status} in ('scheduled', 'completed')
      and ${b.startTime} >= (${date}::date)::timestamp at time zone ${timeZone}
      and ${b.startTime} < (${date}::date + 1)::timestamp at time zone ${timeZone}
    order by ${b.startTime}`,
  );
  const pending = await queryRows<AgendaItem>(
    db,
    sql`select ${agendaColumns} from ${b}
    where ${b.status} = 'pending' and ${b.startTime} > now() order by ${b.startTime} limit 200`,
  );
  return { sessions, pending };
}
