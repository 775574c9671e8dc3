import { bookingStatuses, type CalEventType } from '@calsync/db';
import { html, type SafeHtml } from '../html.ts';
import { badge, dateTimeIn } from './format.ts';
import { DASHBOARD } from './layout.ts';

/** The filters as the form sent them (strings, possibly empty). */
export interface BookingsQuery {
  status?: string;
  from?: string;
  to?: string;
  event_type?: string;
  q?: string;
  cursor?: string;
}

type Row = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value : '');

function filters(query: BookingsQuery, types: CalEventType[]): SafeHtml {
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="${DASHBOARD}" role="search">
  <label>Search <input type="search" name="q" value="${query.q ?? ''}" placeholder="name or e-mail" maxlength="200"></label>
  <label>Status <select name="status">${option('', 'any', !query.status)}${bookingStatuses.map((s) => option(s, s, query.status === s))}</select></label>
  <label>From <input type="date" name="from" value="${query.from ?? ''}"></label>
  <label>To <input type="date" name="to" value="${query.to ?? ''}"></label>
  <label>Event type <select name="event_type">${option('', 'any', !query.event_type)}${types.map((t) =>
    option(t.calEventTypeId, t.title ?? t.slug ?? t.calEventTypeId, query.event_type === t.calEventTypeId),
  )}</select></label>
  <button type="submit">Filter</button>
  <a href="${DASHBOARD}?from=">Clear</a>
</form>`;
}

/** ISO instant of a start time as raw SQL gives it, or '' (the live script orders rows by it). */
function isoOrEmpty(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

// The data-* attributes are the live script's handles (assets/dashboard.js): it updates a row in place by its uid.
function bookingRow(row: Row): SafeHtml {
  const uid = text(row.cal_uid);
  return html`<tr data-booking="${uid}" data-start="${isoOrEmpty(text(row.start_time))}">
  <td data-field="start">${dateTimeIn(text(row.start_time) || null, 'UTC')}</td>
  <td><a data-field="attendee" href="${DASHBOARD}/bookings/${encodeURIComponent(uid)}">${text(row.attendee_name) || '(no name)'}</a>
    <div class="muted" data-field="email">${text(row.attendee_email)}</div></td>
  <td data-field="event-type">${text(row.event_type_slug) || text(row.event_type_id)}</td>
  <td data-field="status">${badge(text(row.status))}</td>
</tr>`;
}

/** The filters as instants and values the live script checks a new booking against before showing it. */
function liveFilters(query: BookingsQuery, hasMore: boolean): SafeHtml {
  const day = (date: string | undefined, plusDays: number) =>
    date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(Date.parse(date) + plusDays * 86_400_000).toISOString() : '';
  return html` data-live-bookings data-more="${hasMore ? 'true' : 'false'}" data-filter-status="${query.status ?? ''}"
  data-filter-event-type="${query.event_type ?? ''}" data-filter-q="${query.q ?? ''}"
  data-filter-from="${day(query.from, 0)}" data-filter-to="${day(query.to, 1)}"`;
}

/** The bookings list: filters, one keyset page, and a link to the next page (the cursor carries the position). */
export function bookingsSection(
  query: BookingsQuery,
  types: CalEventType[],
  page: { bookings: Row[]; next_cursor: string | null },
): SafeHtml {
  const params = new URLSearchParams();
  for (const key of ['q', 'status', 'from', 'to', 'event_type'] as const) {
    const value = query[key];
    if (value || key === 'from') params.set(key, value ?? '');
  }
  const firstPage = `${DASHBOARD}?${params.toString()}`;
  if (page.next_cursor) params.set('cursor', page.next_cursor);
  const empty = page.bookings.length === 0;
  // The live indicator stays hidden without JavaScript: the page then is what it was when loaded.
  return html`<section class="bookings" aria-label="Bookings"${liveFilters(query, page.next_cursor !== null)}>
  <h2>Bookings <span class="live-indicator" data-live-indicator hidden></span></h2>
  ${filters(query, types)}
  <p class="empty"${empty ? '' : html` hidden`}>No bookings match.</p>
  <table class="list"${empty ? html` hidden` : ''}>
    <thead><tr><th>Start (UTC)</th><th>Attendee</th><th>Event type</th><th>Status</th></tr></thead>
    <tbody>${page.bookings.map(bookingRow)}</tbody>
  </table>
  <nav class="pager">
    ${query.cursor && html`<a href="${firstPage}">« First page</a>`}
    ${page.next_cursor && html`<a rel="next" href="${DASHBOARD}?${params.toString()}">Next page »</a>`}
  </nav>
</section>`;
}
