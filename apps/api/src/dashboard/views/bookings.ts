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

function bookingRow(row: Row): SafeHtml {
  const uid = text(row.cal_uid);
  return html`<tr>
  <td>${dateTimeIn(text(row.start_time) || null, 'UTC')}</td>
  <td><a href="${DASHBOARD}/bookings/${encodeURIComponent(uid)}">${text(row.attendee_name) || '(no name)'}</a>
    <div class="muted">${text(row.attendee_email)}</div></td>
  <td>${text(row.event_type_slug) || text(row.event_type_id)}</td>
  <td>${badge(text(row.status))}</td>
</tr>`;
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
  return html`<section class="bookings" aria-label="Bookings">
  <h2>Bookings</h2>
  ${filters(query, types)}
  ${
    page.bookings.length === 0
      ? html`<p class="empty">No bookings match.</p>`
      : html`<table class="list">
    <thead><tr><th>Start (UTC)</th><th>Attendee</th><th>Event type</th><th>Status</th></tr></thead>
    <tbody>${page.bookings.map(bookingRow)}</tbody>
  </table>`
  }
  <nav class="pager">
    ${query.cursor && html`<a href="${firstPage}">« First page</a>`}
    ${page.next_cursor && html`<a rel="next" href="${DASHBOARD}?${params.toString()}">Next page »</a>`}
  </nav>
</section>`;
}
