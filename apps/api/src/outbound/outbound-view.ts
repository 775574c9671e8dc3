import { changeTypes } from '@calsync/db';
import type { outbound } from '@calsync/worker';
import { html, type SafeHtml } from '../dashboard/html.ts';
import { badge, dateTimeIn } from '../dashboard/views/format.ts';
import { DASHBOARD } from '../dashboard/views/layout.ts';

export const WEBHOOKS_PAGE = `${DASHBOARD}/webhooks`;

type Endpoint = outbound.EndpointView;
type Delivery = outbound.DeliveryView;

const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

function action(path: string, label: string, token: string, confirm = false): SafeHtml {
  return html`<form method="post" action="${path}" class="inline${confirm ? ' confirm' : ''}">${csrfField(token)}<button type="submit">${label}</button></form>`;
}

/** Shown once, right after adding an endpoint or rotating its secret: it is never displayed again. */
export function secretNotice(endpoint: Endpoint, secret: string): SafeHtml {
  return html`<div class="notice secret" role="status"><p>The signing secret of ${endpoint.url} (shown only now: copy it
  to the receiving system):</p><p><code id="endpoint-secret">${secret}</code></p></div>`;
}

function endpointRow(e: Endpoint, token: string): SafeHtml {
  const base = `${WEBHOOKS_PAGE}/${e.id}`;
  return html`<tr>
  <td><a href="${base}">${e.url}</a></td>
  <td>${e.types.length === 0 ? 'all' : e.types.join(', ')}</td>
  <td>${badge(e.status)}${e.status === 'paused' && html` <span class="error">${e.paused_reason ?? ''}</span>`}
    ${e.status === 'active' && e.failing_since && html` <span class="error">failing since ${dateTimeIn(e.failing_since, 'UTC')} UTC</span>`}</td>
  <td>${e.previous_secret_expires_at && html`old secret valid until ${dateTimeIn(e.previous_secret_expires_at, 'UTC')} UTC`}</td>
  <td>${e.status === 'active' ? action(`${base}/pause`, 'Pause', token) : action(`${base}/resume`, 'Resume', token)}
    ${action(`${base}/rotate`, 'Rotate secret', token)} ${action(`${base}/delete`, 'Delete', token, true)}</td>
</tr>`;
}

/** The "Webhooks out" page: the endpoints, their state, and the form that adds one. */
export function webhooksBody(view: { endpoints: Endpoint[]; csrfToken: string; notice?: SafeHtml }): SafeHtml {
  const token = view.csrfToken;
  return html`${view.notice ?? ''}
<section class="card" aria-label="Webhooks out">
  <h1>Webhooks out</h1>
  <p>Every booking and event-type Change is sent to these endpoints, signed per Standard Webhooks, in order per booking.
  Failed tries are retried (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); an endpoint failing for 5 days is paused.</p>
  ${
    view.endpoints.length === 0
      ? html`<p class="empty">No endpoints yet.</p>`
      : html`<table class="list">
    <thead><tr><th>URL</th><th>Types</th><th>Status</th><th>Secret</th><th></th></tr></thead>
    <tbody>${view.endpoints.map((e) => endpointRow(e, token))}</tbody>
  </table>`
  }
</section>
<section class="card" aria-label="Add an endpoint">
  <h2>Add an endpoint</h2>
  <form method="post" action="${WEBHOOKS_PAGE}">
    ${csrfField(token)}
    <label>URL <input name="url" type="url" required maxlength="2000" placeholder="https://crm.example.com/calsync"></label>
    <fieldset><legend>Types (none checked: all)</legend>
    ${changeTypes.map((t) => html`<label><input type="checkbox" name="types" value="${t}"> ${t}</label> `)}
    </fieldset>
    <button type="submit">Add endpoint</button>
  </form>
</section>`;
}

function deliveryRow(endpointId: string, d: Delivery, token: string): SafeHtml {
  const tries = d.tries.map(
    (t) =>
      html`<li>${dateTimeIn(t.at, 'UTC')}: ${t.status_code ?? 'no response'}${t.error ? html` (${t.error})` : ''}, ${t.duration_ms} ms</li>`,
  );
  return html`<tr>
  <td>${d.change_id}</td>
  <td>${d.change_type ?? ''}</td>
  <td>${d.booking_uid ? html`<a href="${DASHBOARD}/bookings/${encodeURIComponent(d.booking_uid)}">${d.booking_uid}</a>` : ''}</td>
  <td>${badge(d.status)}</td>
  <td>${d.attempts}</td>
  <td class="when">${d.next_attempt_at ? dateTimeIn(d.next_attempt_at, 'UTC') : ''}</td>
  <td><ul class="tries">${tries}</ul></td>
  <td>${d.status === 'failed' && action(`${WEBHOOKS_PAGE}/${endpointId}/deliveries/${d.id}/retry`, 'Retry', token)}</td>
</tr>`;
}

/** One endpoint's deliveries, newest first, with each try's response and a retry button on failed ones. */
export function deliveriesBody(view: {
  endpoint: Endpoint;
  deliveries: Delivery[];
  csrfToken: string;
  notice?: string;
}): SafeHtml {
  const { endpoint } = view;
  return html`${view.notice && html`<p class="notice" role="status">${view.notice}</p>`}
${endpoint.status === 'paused' && html`<p class="notice" role="status">This endpoint is paused: ${endpoint.paused_reason ?? ''}. Nothing is sent until it is resumed.</p>`}
<section class="card" aria-label="Deliveries">
  <h1>Deliveries to ${endpoint.url}</h1>
  <p><a href="${WEBHOOKS_PAGE}">All endpoints</a></p>
  ${
    view.deliveries.length === 0
      ? html`<p class="empty">No deliveries yet.</p>`
      : html`<table class="list">
    <thead><tr><th>Change</th><th>Type</th><th>Booking</th><th>Status</th><th>Tries</th><th>Next try (UTC)</th><th>Responses</th><th></th></tr></thead>
    <tbody>${view.deliveries.map((d) => deliveryRow(endpoint.id, d, view.csrfToken))}</tbody>
  </table>`
  }
</section>`;
}
