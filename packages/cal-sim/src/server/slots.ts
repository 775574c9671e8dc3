import type { SimStore } from '../store/sim-store.ts';
import { lowerBound } from '../store/sorted-index.ts';
import { intParam, isoParam, type Query, single } from './query-params.ts';
import { V2BadRequest } from './v2-errors.ts';
import { formatInZone, isTimeZone, startOfDayInZone } from './zoned-time.ts';

const hour = 3_600_000;
const day = 24 * hour;
const maxRangeMs = 92 * day;

/** Thrown when the event type does not exist (answered 404). */
export class SlotsEventTypeNotFound extends Error {}

/**
 * GET /v2/slots: deterministic availability. Working hours are 09:00–17:00 UTC on weekdays, cut into slots of
 * the event type's length; a slot is free unless it is in the past or overlaps an accepted booking of the
 * account (any event type: the organizer is busy). Answers `{ "YYYY-MM-DD": [{start, end?}] }` keyed by the
 * date in `timeZone`, times written in that zone; `{}` when nothing is free.
 */
export function findSlots(store: SimStore, query: Query, nowMs: number) {
  const eventTypeId = intParam(query, 'eventTypeId', -1, 1, Number.MAX_SAFE_INTEGER);
  if (eventTypeId === -1) throw new V2BadRequest('eventTypeId is required');
  const timeZone = single(query, 'timeZone') ?? 'UTC';
  if (!isTimeZone(timeZone)) throw new V2BadRequest(`timeZone must be a valid IANA time zone, got ${timeZone}`);
  const format = single(query, 'format');
  if (format !== undefined && format !== 'range' && format !== 'time') {
    throw new V2BadRequest('format must be one of the following values: range, time');
  }
  const startMs = boundary(query, 'start', timeZone, false);
  const endMs = boundary(query, 'end', timeZone, true);
  if (endMs < startMs) throw new V2BadRequest('end must be after start');
  if (endMs - startMs > maxRangeMs) throw new V2BadRequest('the range between start and end must be 92 days at most');
  const eventType = store.eventType(eventTypeId);
  if (!eventType) throw new SlotsEventTypeNotFound(`Event type with id=${eventTypeId} not found`);

  const lengthMs = eventType.lengthInMinutes * 60_000;
  const busy = busyIntervals(store, startMs - day, endMs);
  const slots: Record<string, Array<{ start: string; end?: string }>> = {};
  for (let dayStart = Math.floor(startMs / day) * day; dayStart <= endMs; dayStart += day) {
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let slot = dayStart + 9 * hour; slot + lengthMs <= dayStart + 17 * hour; slot += lengthMs) {
      if (slot < startMs || slot > endMs || slot < nowMs) continue;
      if (busy.some(([from, to]) => from < slot + lengthMs && to > slot)) continue;
      const start = formatInZone(slot, timeZone);
      const date = start.slice(0, 10);
      const free = slots[date] ?? [];
      slots[date] = free;
      free.push(format === 'range' ? { start, end: formatInZone(slot + lengthMs, timeZone) } : { start });
    }
  }
  return slots;
}

function boundary(query: Query, name: string, timeZone: string, endOfDay: boolean): number {
  const value = single(query, name);
  if (value === undefined) throw new V2BadRequest(`${name} is required`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    isoParam(query, name); // validates the calendar date
    return startOfDayInZone(value, timeZone) + (endOfDay ? day - 1 : 0);
  }
  return isoParam(query, name)!;
}

function busyIntervals(store: SimStore, fromMs: number, toMs: number): Array<[number, number]> {
  const byStart = store.sortedBy('start');
  const intervals: Array<[number, number]> = [];
  for (let i = lowerBound(byStart, 'start', fromMs); i < byStart.length; i++) {
    const booking = byStart[i]!;
    const start = Date.parse(booking.start);
    if (start > toMs) break;
    if (booking.status === 'accepted') intervals.push([start, Date.parse(booking.end)]);
  }
  return intervals;
}
