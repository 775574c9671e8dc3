import { utcOffsetMinutes } from '../webhooks/booking-payload.ts';

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** `ms` written as local time in `timeZone` with its offset, like Cal.com's slots: 2026-01-15T09:00:00.000+01:00. */
export function formatInZone(ms: number, timeZone: string): string {
  const offset = utcOffsetMinutes(timeZone, new Date(ms).toISOString());
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, -1);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The instant a bare date (YYYY-MM-DD) starts in `timeZone`. */
export function startOfDayInZone(date: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const offset = utcOffsetMinutes(timeZone, new Date(utcMidnight).toISOString());
  return utcMidnight - offset * 60_000;
}
