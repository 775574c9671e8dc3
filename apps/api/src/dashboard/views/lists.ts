import type { CalEventType } from '@calsync/db';
import { html, type SafeHtml } from '../html.ts';
import type { DeliverySummary } from '../queries.ts';
import { ago, badge, dateTimeIn } from './format.ts';
import { DASHBOARD } from './layout.ts';

export function eventTypesSection(types: CalEventType[]): SafeHtml {
  return html`<section class="card" aria-label="Event types">
  <h1>Event types</h1>
  ${
    types.length === 0
      ? html`<p class="empty">No event types yet: press "Sync event types" on the bookings page.</p>`
      : html`<table class="list">
    <thead><tr><th>Title</th><th>Slug</th><th>Length</th><th>State</th><th>Last sync</th></tr></thead>
    <tbody>${types.map(
      (t) => html`<tr>
      <td>${t.title ?? '—'}</td><td><code>${t.slug ?? '—'}</code></td><td>${t.length ?? '—'} min</td>
      <td>${t.deletedAt ? badge('deleted') : t.active ? badge('active') : badge('inactive')}</td>
      <td title="${dateTimeIn(t.lastSyncedAt, 'UTC')}">${ago(t.lastSyncedAt)}</td>
    </tr>`,
    )}</tbody>
  </table>`
  }
</section>`;
}

function deliveryRow(d: DeliverySummary, csrfToken: string | undefined): SafeHtml {
  return html`<tr data-delivery="${d.id}">
  <td>${dateTimeIn(d.receivedAt, 'UTC')}</td>
  <td>${d.triggerEvent}</td>
  <td>${d.bookingUid ? html`<a href="${DASHBOARD}/bookings/${encodeURIComponent(d.bookingUid)}">${d.bookingUid}</a>` : '—'}</td>
  <td>${badge(d.status)}</td>
  <td>${d.attempts}</td>
  <td class="error">${d.error ?? ''}</td>
  ${
    csrfToken &&
    html`<td><form method="post" action="${DASHBOARD}/deliveries/${d.id}/replay">
    <input type="hidden" name="_csrf" value="${csrfToken}"><button type="submit">Replay</button>
  </form></td>`
  }
</tr>`;
}

function deliveryTable(rows: DeliverySummary[], csrfToken?: string): SafeHtml {
  return html`<table class="list">
  <thead><tr><th>Received (UTC)</th><th>Trigger</th><th>Booking</th><th>Status</th><th>Attempts</th><th>Error</th>${csrfToken && html`<th></th>`}</tr></thead>
  <tbody>${rows.map((d) => deliveryRow(d, csrfToken))}</tbody>
</table>`;
}

/** Failed deliveries with a Replay button each (and one for all), then the latest deliveries whatever their state. */
export function deliveriesSection(options: {
  failed: DeliverySummary[];
  recent: DeliverySummary[];
  csrfToken: string;
  notice?: string;
}): SafeHtml {
  return html`${options.notice && html`<p class="notice" role="status">${options.notice}</p>`}
<section class="card" aria-label="Failed deliveries">
  <h1>Failed deliveries</h1>
  ${
    options.failed.length === 0
      ? html`<p class="empty">No failed deliveries.</p>`
      : html`<form method="post" action="${DASHBOARD}/deliveries/replay-failed">
    <input type="hidden" name="_csrf" value="${options.csrfToken}"><button type="submit">Replay all failed</button>
  </form>${deliveryTable(options.failed, options.csrfToken)}`
  }
</section>
<section class="card" aria-label="Recent deliveries">
  <h2>Latest deliveries</h2>
  ${deliveryTable(options.recent)}
</section>`;
}
