import { randomUUID } from 'node:crypto';
import type { CalEventType, CalSyncSkippedItem } from '@calsync/db';
import { html, type SafeHtml } from '../html.ts';
import type { DeliverySummary, UnrecognizedDelivery } from '../queries.ts';
import { ago, badge, dateTimeIn } from './format.ts';
import { DASHBOARD } from './layout.ts';

/**
 * Hide/show and an edit form for what Cal.com's update accepts (title, description, length: its input has no price,
 * so none is offered). Only the key owner's own event types that still exist can be changed.
 */
function manageCell(t: CalEventType, csrfToken: string): SafeHtml | string {
  if (t.deletedAt || t.teamId) return '—';
  const action = `${DASHBOARD}/event-types/${encodeURIComponent(t.calEventTypeId)}`;
  const hidden = t.hidden;
  const common = html`<input type="hidden" name="_csrf" value="${csrfToken}">
    <input type="hidden" name="idempotency_key" value="${randomUUID()}">`;
  return html`<form method="post" action="${action}" data-form="visibility">${common}
    <input type="hidden" name="hidden" value="${hidden ? 'false' : 'true'}">
    <button type="submit">${hidden ? 'Show' : 'Hide'}</button>
  </form>
  <details class="action" data-action="edit"><summary>Edit…</summary>
    <form method="post" action="${action}" data-form="edit">${common}
      <label>Title <input name="title" value="${t.title ?? ''}" maxlength="500" required></label>
      <label>Description <textarea name="description" maxlength="10000">${t.description ?? ''}</textarea></label>
      <label>Length (minutes) <input name="length" type="number" min="1" max="1440" value="${t.length ?? ''}" required></label>
      <p class="muted">Prices are changed in Cal.com (its update has no price field).</p>
      <button type="submit">Save to Cal.com</button>
    </form>
  </details>`;
}

export function eventTypesSection(types: CalEventType[], csrfToken?: string): SafeHtml {
  return html`<section class="card" aria-label="Event types">
  <h1>Event types</h1>
  ${
    types.length === 0
      ? html`<p class="empty">No event types yet: press "Sync event types" on the bookings page.</p>`
      : html`<table class="list">
    <thead><tr><th>Title</th><th>Slug</th><th>Length</th><th>Team</th><th>State</th><th>Last sync</th>${csrfToken && html`<th>Manage</th>`}</tr></thead>
    <tbody>${types.map(
      (t) => html`<tr data-event-type="${t.calEventTypeId}">
      <td>${t.title ?? '—'}</td><td><code>${t.slug ?? '—'}</code></td><td>${t.length ?? '—'} min</td>
      <td>${t.teamId ? `team ${t.teamId}${t.schedulingType ? ` (${t.schedulingType})` : ''}` : 'own'}</td>
      <td>${t.deletedAt ? badge('deleted') : t.active ? badge('active') : badge('inactive')}</td>
      <td title="${dateTimeIn(t.lastSyncedAt, 'UTC')}">${ago(t.lastSyncedAt)}</td>
      ${csrfToken && html`<td>${manageCell(t, csrfToken)}</td>`}
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

function unrecognizedItem(d: UnrecognizedDelivery): SafeHtml {
  return html`<li data-delivery="${d.id}">
  <span class="when">${dateTimeIn(d.receivedAt, 'UTC')}</span> <strong>${d.triggerEvent}</strong>
  <span class="muted">${d.bodyEncoding === 'base64' ? 'not text: shown as base64' : ''}</span>
  <pre class="raw-body">${d.rawBody}</pre>
</li>`;
}

/** Signed bodies stored in a shape calsync does not read; each one started an incremental bookings sync. */
function unrecognizedSection(rows: UnrecognizedDelivery[]): SafeHtml {
  if (rows.length === 0) return html``;
  return html`<section class="card" aria-label="Unrecognized deliveries">
  <h2>Unrecognized deliveries</h2>
  <p class="muted">Signed by Cal.com but not in its default payload (a custom payload template, a Zapier body, not JSON).
  Each is kept as received and started an incremental bookings sync, so the mirror still learned what changed.</p>
  <ol class="timeline">${rows.map(unrecognizedItem)}</ol>
</section>`;
}

/** Items Cal.com returned that a sync could not take: the run went on without them. */
function skippedSection(rows: CalSyncSkippedItem[]): SafeHtml {
  if (rows.length === 0) return html``;
  return html`<section class="card" aria-label="Skipped sync items">
  <h2>Items syncs skipped</h2>
  <table class="list">
    <thead><tr><th>When (UTC)</th><th>Item</th><th>Why</th><th>As Cal.com sent it</th></tr></thead>
    <tbody>${rows.map(
      (item) => html`<tr>
      <td>${dateTimeIn(item.createdAt, 'UTC')}</td><td><code>${item.itemKey ?? '—'}</code></td>
      <td class="error">${item.reason}</td>
      <td><details><summary>raw</summary><pre class="raw-body">${JSON.stringify(item.raw, null, 2).slice(0, 4_000)}</pre></details></td>
    </tr>`,
    )}</tbody>
  </table>
</section>`;
}

/**
 * Failed deliveries with a Replay button each (and one for all), the latest deliveries whatever their state, then
 * what calsync kept but could not read: unrecognized deliveries and items syncs skipped.
 */
export function deliveriesSection(options: {
  failed: DeliverySummary[];
  recent: DeliverySummary[];
  unrecognized: UnrecognizedDelivery[];
  skipped: CalSyncSkippedItem[];
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
</section>
${unrecognizedSection(options.unrecognized)}
${skippedSection(options.skipped)}`;
}
