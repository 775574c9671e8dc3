import { HttpError } from '@calsync/service-kit';

/** What one insights request asks for: inclusive calendar dates in the owner's zone, and maybe one event type. */
export interface InsightsRange {
  from: string;
  to: string;
  /** A Cal.com event type id (digits), as `cal_bookings.event_type_id` holds it. */
  eventType?: string;
}

const DAY_MS = 86_400_000;
/** Long enough for several years of history, short enough that one request cannot ask for a million weeks. */
export const MAX_RANGE_DAYS = 1_096;
/** The range shown when none is asked for: the current week and the eleven before it. */
const DEFAULT_WEEKS = 12;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `date` moved by `days` (calendar arithmetic: no zone is involved in whole dates). */
export function addDays(date: string, days: number): string {
  return toDate(toMs(date) + days * DAY_MS);
}

/** The Monday of the ISO week holding `date`. */
export function mondayOf(date: string): string {
  const weekday = new Date(toMs(date)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** Days from `from` to `to`, both included. */
export function rangeDays(range: Pick<InsightsRange, 'from' | 'to'>): number {
  return Math.round((toMs(range.to) - toMs(range.from)) / DAY_MS) + 1;
}

/** The period of the same length that ends the day before `range` starts: what the headline numbers compare with. */
export function previousRange(range: InsightsRange): InsightsRange {
  const days = rangeDays(range);
  return { ...range, from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

/** Every week's Monday from the week holding `from` to the week holding `to`. */
export function weeksOf(range: Pick<InsightsRange, 'from' | 'to'>): string[] {
  const weeks: string[] = [];
  for (let week = mondayOf(range.from); week <= range.to; week = addDays(week, 7)) weeks.push(week);
  return weeks;
}

/** Today's date on the owner's wall clock. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function isRealDate(value: string): boolean {
  const match = DATE_ONLY.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const ms = toMs(value);
  // Date.parse refuses month 13 (NaN) but rolls 02-30 over to March: both are refused here.
  return year >= 1970 && year <= 9999 && !Number.isNaN(ms) && toDate(ms) === value;
}

function dateParam(name: 'from' | 'to', value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !isRealDate(value))
    throw new HttpError('invalid_request', `${name}: expected a calendar date YYYY-MM-DD (e.g. 2026-03-02)`);
  return value;
}

/**
 * The range a request asks for (`from`, `to`, `event_type` from the query string); throws a 400 naming the bad
 * field. Missing dates default to the twelve weeks up to the end of the current week, in the owner's zone.
 */
export function parseInsightsRange(query: Record<string, unknown>, timeZone: string, now = new Date()): InsightsRange {
  let from = dateParam('from', query.from);
  let to = dateParam('to', query.to);
  const eventType = query.event_type;
  if (
    eventType !== undefined &&
    eventType !== '' &&
    (typeof eventType !== 'string' || !/^[1-9]\d{0,14}$/.test(eventType))
  )
    throw new HttpError('invalid_request', 'event_type: expected a Cal.com event type id (a positive whole number)');
  if (to === undefined)
    to = from === undefined ? addDays(mondayOf(todayIn(timeZone, now)), 6) : addDays(from, 7 * DEFAULT_WEEKS - 1);
  if (from === undefined) from = addDays(mondayOf(to), -7 * (DEFAULT_WEEKS - 1));
  if (from > to) throw new HttpError('invalid_request', `to: must not be before from (${from})`);
  if (rangeDays({ from, to }) > MAX_RANGE_DAYS)
    throw new HttpError('invalid_request', `to: the range may span at most ${MAX_RANGE_DAYS} days`);
  return eventType ? { from, to, eventType } : { from, to };
}
