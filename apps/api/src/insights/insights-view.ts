import { html, type SafeHtml } from '../dashboard/html.ts';
import { DASHBOARD } from '../dashboard/views/layout.ts';
import { countChange, duration, percent, rateChange, revenueText, weekLabel } from './insights-format.ts';
import type { InsightsRange } from './insights-range.ts';
import type { Figures, Insights } from './load-insights.ts';
import { barChart, heatMap, lineChart } from './svg-charts.ts';

export const INSIGHTS_PAGE = `${DASHBOARD}/insights`;

export interface EventTypeChoice {
  id: string;
  title: string | null;
  slug: string | null;
}

export interface InsightsView {
  current: Insights;
  previous: Insights;
  eventTypes: EventTypeChoice[];
  /** The form's values (what was asked, even when it was refused). */
  asked: { from?: string; to?: string; event_type?: string };
  error?: string;
}

function query(range: InsightsRange, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ from: range.from, to: range.to, ...extra });
  if (range.eventType) params.set('event_type', range.eventType);
  return params.toString();
}

function rangeForm(view: Pick<InsightsView, 'eventTypes' | 'asked' | 'error'>, csvHref?: string): SafeHtml {
  const { asked } = view;
  return html`<form method="get" action="${INSIGHTS_PAGE}" class="filters insights-filters" aria-label="Range and event type">
  <label>From <input type="date" name="from" value="${asked.from ?? ''}"></label>
  <label>To <input type="date" name="to" value="${asked.to ?? ''}"></label>
  <label>Event type <select name="event_type">
    <option value="">All event types</option>
    ${view.eventTypes.map(
      (t) =>
        html`<option value="${t.id}"${t.id === asked.event_type ? html` selected` : ''}>${t.title ?? t.slug ?? t.id}</option>`,
    )}
  </select></label>
  <button type="submit">Show</button>
  ${csvHref && html`<a class="csv" href="${csvHref}" download>Download weekly CSV</a>`}
</form>
${view.error && html`<p class="error" role="alert">${view.error}</p>`}`;
}

function headline(label: string, value: string, change: string, hint: string): SafeHtml {
  return html`<div class="fact headline"><span class="label">${label}</span><span class="value">${value}</span>
<span class="change" title="${hint}">${change}</span></div>`;
}

function headlines(now: Figures, before: Figures, previous: Insights['range'], leadNow: number | null): SafeHtml {
  const hint = `against ${previous.from} – ${previous.to}`;
  return html`<div class="health headlines" aria-label="Headline numbers">
  ${headline('Booked', String(now.booked), countChange(now.booked, before.booked), hint)}
  ${headline('Completed', String(now.completed), countChange(now.completed, before.completed), hint)}
  ${headline('Cancellation rate', percent(now.cancellation_rate), rateChange(now.cancellation_rate, before.cancellation_rate), hint)}
  ${headline('No-show rate', percent(now.no_show_rate), rateChange(now.no_show_rate, before.no_show_rate), hint)}
  ${headline('Revenue', revenueText(now.revenue), `was ${revenueText(before.revenue)}`, hint)}
  ${headline('Median lead time', duration(leadNow), `${now.rescheduled} rescheduled · ${now.rejected} rejected`, 'booking made → session start')}
</div>
<p class="muted">Changes compare with the ${previous.from} – ${previous.to} period of the same length.</p>`;
}

function figureCells(f: Figures): SafeHtml {
  return html`<td>${f.booked}</td><td>${f.completed}</td><td>${f.cancelled}</td><td>${f.rejected}</td>
<td>${f.rescheduled}</td><td>${f.no_show}</td><td>${percent(f.cancellation_rate)}</td><td>${percent(f.no_show_rate)}</td>
<td>${revenueText(f.revenue)}</td>`;
}

const FIGURE_HEADS = html`<th>Booked</th><th>Completed</th><th>Cancelled</th><th>Rejected</th><th>Rescheduled</th>
<th>No-shows</th><th>Cancellation rate</th><th>No-show rate</th><th>Revenue</th>`;

function eventTypeTable(insights: Insights): SafeHtml {
  if (insights.event_types.length === 0) return html`<p class="empty">No bookings in this range.</p>`;
  return html`<div class="scroll"><table class="list" data-table="event-types">
<thead><tr><th>Event type</th>${FIGURE_HEADS}</tr></thead>
<tbody>${insights.event_types.map(
    (t) =>
      html`<tr><td>${t.title ?? t.slug ?? (t.event_type_id ? `#${t.event_type_id}` : 'No event type')}</td>${figureCells(t)}</tr>`,
  )}</tbody></table></div>`;
}

function weeklyTable(insights: Insights): SafeHtml {
  return html`<details><summary>The weekly numbers as a table</summary><div class="scroll"><table class="list" data-table="weeks">
<thead><tr><th>Week of</th>${FIGURE_HEADS}</tr></thead>
<tbody>${insights.weeks.map((w) => html`<tr><td>${w.week}</td>${figureCells(w)}</tr>`)}</tbody></table></div></details>`;
}

/** The page body: filters, headline numbers against the previous period, charts with a table fallback. */
export function insightsBody(view: InsightsView): SafeHtml {
  const { current, previous } = view;
  const range = current.range;
  const asRange: InsightsRange = { from: range.from, to: range.to, eventType: range.event_type ?? undefined };
  const weeks = current.weeks.map((w) => w.week);
  const labels = weeks.map(weekLabel);
  const zone = range.time_zone;
  return html`<link rel="stylesheet" href="${INSIGHTS_PAGE}/insights.css">
<section class="card insights" aria-label="Insights">
  <h1>Insights <span class="muted">${range.from} – ${range.to} · weeks from Monday, ${zone}</span></h1>
  ${rangeForm(view, `/admin/api/insights?${query(asRange, { format: 'csv' })}`)}
  ${headlines(current.totals, previous.totals, previous.range, current.median_lead_time_minutes)}
</section>
<section class="card insights" aria-label="Bookings per week">
  <h2>Bookings per week</h2>
  ${barChart({
    id: 'weekly-bars',
    title: 'Booked, completed and cancelled bookings per week',
    categories: weeks.map((w) => `Week of ${w}`),
    labels,
    series: [
      { name: 'Booked', fill: 'solid', color: '#1f4e79', values: current.weeks.map((w) => w.booked) },
      { name: 'Completed', fill: 'hatch', color: '#2f7d32', values: current.weeks.map((w) => w.completed) },
      { name: 'Cancelled', fill: 'dots', color: '#b3261e', values: current.weeks.map((w) => w.cancelled) },
    ],
  })}
  ${weeklyTable(current)}
</section>
<section class="card insights" aria-label="Rates per week">
  <h2>No-show and cancellation rates</h2>
  ${lineChart({
    id: 'weekly-rates',
    title: 'Cancellation rate and no-show rate per week',
    categories: weeks.map((w) => `Week of ${w}`),
    labels,
    format: (n) => `${Math.round(n * 100)} %`,
    series: [
      {
        name: 'Cancellation rate',
        dash: 'solid',
        marker: 'circle',
        color: '#b3261e',
        values: current.weeks.map((w) => w.cancellation_rate),
      },
      {
        name: 'No-show rate',
        dash: 'dashed',
        marker: 'square',
        color: '#7a4f01',
        values: current.weeks.map((w) => w.no_show_rate),
      },
    ],
  })}
</section>
<section class="card insights" aria-label="Busiest times">
  <h2>Busiest times <span class="muted">booked sessions by weekday and hour, ${zone}</span></h2>
  ${heatMap({ id: 'busiest', title: `Booked sessions by weekday and starting hour (${zone})`, grid: current.weekday_hour })}
</section>
<section class="card insights" aria-label="Per event type">
  <h2>Per event type</h2>
  ${eventTypeTable(current)}
</section>`;
}

/** The page when the range was refused: the form and what is wrong, nothing else. */
export function refusedBody(view: Pick<InsightsView, 'eventTypes' | 'asked' | 'error'>): SafeHtml {
  return html`<link rel="stylesheet" href="${INSIGHTS_PAGE}/insights.css">
<section class="card insights" aria-label="Insights"><h1>Insights</h1>${rangeForm(view)}</section>`;
}
