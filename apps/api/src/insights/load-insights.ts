import type { Database } from '@calsync/db';
import { type InsightsRange, weeksOf } from './insights-range.ts';
import {
  localClock,
  medianLeadSeconds,
  noShowRows,
  type WeekTypeRow,
  weekdayHourRows,
  weekTypeRows,
  withoutJit,
} from './insights-sql.ts';

/** The figures README "Insights" names, for the whole range, one week or one event type. */
export interface Figures {
  booked: number;
  completed: number;
  cancelled: number;
  rejected: number;
  rescheduled: number;
  no_show: number;
  /** cancelled ÷ (booked + cancelled); null when there is nothing to divide by. */
  cancellation_rate: number | null;
  /** no_show ÷ completed; null when nothing was completed. */
  no_show_rate: number | null;
  /** Minor units per lowercase currency code: `{ "eur": 15000 }`. */
  revenue: Record<string, number>;
}

export interface Insights {
  range: { from: string; to: string; time_zone: string; event_type: string | null };
  totals: Figures;
  /** Every week from the one holding `from` to the one holding `to`, empty weeks included; `week` is its Monday. */
  weeks: Array<{ week: string } & Figures>;
  /** Event types with any booking in the range, most booked first. */
  event_types: Array<{ event_type_id: string | null; title: string | null; slug: string | null } & Figures>;
  /** Booked sessions by weekday (index 0 = Monday … 6 = Sunday) and hour (0–23) on the owner's clock. */
  weekday_hour: number[][];
  /** Median time from booking to session start over booked sessions, in minutes; null when there are none. */
  median_lead_time_minutes: number | null;
}

type Counts = Omit<Figures, 'cancellation_rate' | 'no_show_rate'>;
const COUNTED = ['booked', 'completed', 'cancelled', 'rejected', 'rescheduled', 'no_show'] as const;

const emptyCounts = (): Counts => ({
  booked: 0,
  completed: 0,
  cancelled: 0,
  rejected: 0,
  rescheduled: 0,
  no_show: 0,
  revenue: {},
});

/** One (week, event type) group with its no-shows; revenue is the event type's price per completed booking. */
type Group = WeekTypeRow & { no_show: number };

function add(into: Counts, row: Group) {
  for (const key of COUNTED) into[key] += row[key];
  const revenue = (row.price ?? 0) > 0 ? row.completed * row.price! : 0;
  if (revenue > 0) into.revenue[row.currency] = (into.revenue[row.currency] ?? 0) + revenue;
}

/** Four decimals: enough for a percentage with two, and the same number in JSON, CSV and tests. */
const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

function figures(counts: Counts): Figures {
  return {
    ...counts,
    cancellation_rate: ratio(counts.cancelled, counts.booked + counts.cancelled),
    no_show_rate: ratio(counts.no_show, counts.completed),
  };
}

/**
 * Everything `/admin/api/insights` answers, for `range` with weeks starting on Monday in `timeZone`. With
 * `countsOnly` (a comparison period) the weekday × hour grid stays empty and the median null: two statements less.
 */
export async function loadInsights(
  db: Database,
  range: InsightsRange,
  timeZone: string,
  options: { countsOnly?: boolean } = {},
): Promise<Insights> {
  const clock = localClock(range, timeZone);
  // Up to four statements on as many connections: each reads the range once, side by side.
  const [counted, noShows, grid, medianSeconds] = await Promise.all([
    withoutJit(db, (tx) => weekTypeRows(tx, range, timeZone, clock)),
    withoutJit(db, (tx) => noShowRows(tx, range, timeZone, clock)),
    options.countsOnly ? [] : withoutJit(db, (tx) => weekdayHourRows(tx, range, timeZone, clock)),
    options.countsOnly ? null : withoutJit(db, (tx) => medianLeadSeconds(tx, range, timeZone)),
  ]);
  const weekList = weeksOf(range);
  const noShowOf = new Map(noShows.map((n) => [`${n.week}|${n.event_type_id}`, n.no_show]));
  const rows = counted.map((c) => ({
    ...c,
    weekStart: weekList[c.week],
    no_show: noShowOf.get(`${c.week}|${c.event_type_id}`) ?? 0,
  }));
  const totals = emptyCounts();
  const weeks = new Map(weekList.map((week) => [week, emptyCounts()]));
  const types = new Map<string | null, { title: string | null; slug: string | null; counts: Counts }>();
  for (const row of rows) {
    add(totals, row);
    // A booking in the first week's days before `from` is not picked, so every row's week is in the map.
    const week = row.weekStart === undefined ? undefined : weeks.get(row.weekStart);
    if (week) add(week, row);
    let type = types.get(row.event_type_id);
    if (!type) {
      type = { title: row.title, slug: row.slug, counts: emptyCounts() };
      types.set(row.event_type_id, type);
    }
    add(type.counts, row);
  }
  const weekdayHour = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const cell of grid) weekdayHour[cell.weekday - 1]![cell.hour] = cell.bookings;
  return {
    range: { from: range.from, to: range.to, time_zone: timeZone, event_type: range.eventType ?? null },
    totals: figures(totals),
    weeks: [...weeks].map(([week, counts]) => ({ week, ...figures(counts) })),
    event_types: [...types]
      .map(([id, type]) => ({ event_type_id: id, title: type.title, slug: type.slug, ...figures(type.counts) }))
      .sort((a, b) => b.booked - a.booked || String(a.event_type_id).localeCompare(String(b.event_type_id))),
    weekday_hour: weekdayHour,
    median_lead_time_minutes: medianSeconds === null ? null : Math.round(medianSeconds / 60),
  };
}
