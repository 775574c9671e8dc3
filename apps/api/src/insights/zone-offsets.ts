import { type SQLWrapper, sql } from 'drizzle-orm';
import { offsetMs } from '../availability/time-zone.ts';

// Converting each booking's start to the owner's wall clock with `at time zone 'Europe/Berlin'` costs PostgreSQL a
// zone lookup per row: over a year of 100,000 bookings that alone takes most of the insights' time budget. The
// zone's offset changes only a few times a year, so the offsets are worked out here once per request, and the SQL
// adds the right one to each start's epoch seconds: plain arithmetic.

/** A stretch of time with one UTC offset: `offsetSeconds` applies to instants before `untilMs` (the last: forever). */
export interface OffsetSegment {
  untilMs: number;
  offsetSeconds: number;
}

const DAY_MS = 86_400_000;
/** The zone's offset from UTC at `ms`, in seconds (positive east of Greenwich). */
export function offsetAt(timeZone: string, ms: number): number {
  return Math.round(offsetMs(ms, timeZone) / 1000);
}

/**
 * The offsets in force from `fromMs` to `toMs`. Offsets are sampled daily (zones change them months apart) and each
 * change is narrowed down to the second it happens.
 */
export function offsetSegments(timeZone: string, fromMs: number, toMs: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let at = fromMs - DAY_MS;
  let offset = offsetAt(timeZone, at);
  while (at < toMs + DAY_MS) {
    const next = at + DAY_MS;
    const nextOffset = offsetAt(timeZone, next);
    if (nextOffset !== offset) {
      let lo = at;
      let hi = next;
      while (hi - lo > 1_000) {
        const mid = lo + Math.floor((hi - lo) / 2_000) * 1_000;
        if (offsetAt(timeZone, mid) === offset) lo = mid;
        else hi = mid;
      }
      segments.push({ untilMs: hi, offsetSeconds: offset });
      offset = nextOffset;
    }
    at = next;
  }
  segments.push({ untilMs: Number.POSITIVE_INFINITY, offsetSeconds: offset });
  return segments;
}

/**
 * SQL for an instant (`start`: a booking's start column) as seconds since 1970-01-01 00:00 on the owner's wall clock
 * (as if that clock were UTC): weeks, weekdays and hours follow from it by division.
 */
export function localSeconds(segments: OffsetSegment[], start: SQLWrapper) {
  const last = segments.at(-1)!;
  if (segments.length === 1) return sql`(date_part('epoch', ${start}) + ${last.offsetSeconds}::int)`;
  const branches = segments
    .slice(0, -1)
    .map((s) => sql`when ${start} < ${new Date(s.untilMs).toISOString()}::timestamptz then ${s.offsetSeconds}::int`)
    .reduce((all, branch) => sql`${all} ${branch}`);
  return sql`(date_part('epoch', ${start}) + case ${branches} else ${last.offsetSeconds}::int end)`;
}
