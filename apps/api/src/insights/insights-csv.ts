import type { Insights } from './load-insights.ts';

/** A spreadsheet cell: quoted when it holds a separator, a quote or a line break; formulas defused (CSV injection). */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The weekly series as CSV, one row per week: the counts, the rates, and one `revenue_<currency>` column (minor
 * units) for each currency seen anywhere in the range, so every row has the same columns.
 */
export function weeklyCsv(insights: Insights): string {
  const currencies = Object.keys(insights.totals.revenue).sort();
  const header = [
    'week',
    'booked',
    'completed',
    'cancelled',
    'rejected',
    'rescheduled',
    'no_show',
    'cancellation_rate',
    'no_show_rate',
    ...currencies.map((c) => `revenue_${c}`),
  ];
  const rows = insights.weeks.map((w) => [
    w.week,
    w.booked,
    w.completed,
    w.cancelled,
    w.rejected,
    w.rescheduled,
    w.no_show,
    w.cancellation_rate,
    w.no_show_rate,
    ...currencies.map((c) => w.revenue[c] ?? 0),
  ]);
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
