import { html, type SafeHtml } from '../dashboard/html.ts';
import { badge, dateTimeIn } from '../dashboard/views/format.ts';
import { DASHBOARD } from '../dashboard/views/layout.ts';
import type { ListableStatus, NotificationFilter, NotificationView } from './notifications-sql.ts';

export const NOTIFICATIONS_PAGE = `${DASHBOARD}/notifications`;

export interface NotificationsPageView {
  /** SMTP_URL is set: e-mail is on. */
  mailOn: boolean;
  counts: Record<ListableStatus, number>;
  rows: NotificationView[];
  filter: NotificationFilter;
  csrfToken: string;
  notice?: string;
}

function statusLink(status: ListableStatus | undefined, label: string, filter: NotificationFilter): SafeHtml {
  const query = new URLSearchParams();
  if (filter.booking) query.set('booking', filter.booking);
  if (status) query.set('status', status);
  const active = filter.status === status;
  return html`<a href="${NOTIFICATIONS_PAGE}${query.size ? `?${query}` : ''}"${active ? html` aria-current="true"` : ''}>${label}</a>`;
}

function row(n: NotificationView, csrfToken: string): SafeHtml {
  return html`<tr>
  <td>${n.kind}</td>
  <td>${n.booking_uid ? html`<a href="${DASHBOARD}/bookings/${encodeURIComponent(n.booking_uid)}">${n.booking_uid}</a>` : ''}</td>
  <td>${n.to}</td>
  <td class="when">${dateTimeIn(n.due_at, 'UTC')}</td>
  <td>${badge(n.status)}</td>
  <td>${n.attempts}</td>
  <td class="when">${n.sent_at ? dateTimeIn(n.sent_at, 'UTC') : ''}</td>
  <td class="error">${n.error ?? ''}</td>
  <td>${
    n.status === 'failed' &&
    html`<form method="post" action="${NOTIFICATIONS_PAGE}/${n.id}/retry">
    <input type="hidden" name="_csrf" value="${csrfToken}"><button type="submit">Retry</button></form>`
  }</td>
</tr>`;
}

/** The Notifications page: whether e-mail is on, counts, a search by booking, and the rows with a retry button. */
export function notificationsBody(view: NotificationsPageView): SafeHtml {
  const { counts, filter } = view;
  return html`${view.notice && html`<p class="notice" role="status">${view.notice}</p>`}
${
  !view.mailOn &&
  html`<p class="notice" role="status">E-mail is off: SMTP_URL is not set, so no reminders, owner alerts or daily
  agenda are sent. Set SMTP_URL and MAIL_FROM to turn it on.</p>`
}
<section class="card" aria-label="Notifications">
  <h1>Notifications</h1>
  <p>${statusLink(undefined, 'All', filter)} · ${statusLink('scheduled', `Scheduled (${counts.scheduled})`, filter)} ·
    ${statusLink('sent', `Sent (${counts.sent})`, filter)} · ${statusLink('failed', `Failed (${counts.failed})`, filter)} ·
    ${statusLink('cancelled', `Cancelled (${counts.cancelled})`, filter)}</p>
  <form method="get" action="${NOTIFICATIONS_PAGE}" role="search">
    <label>Booking uid <input name="booking" value="${filter.booking ?? ''}" maxlength="200"></label>
    ${filter.status && html`<input type="hidden" name="status" value="${filter.status}">`}
    <button type="submit">Search</button>
  </form>
  ${
    view.rows.length === 0
      ? html`<p class="empty">No notifications${filter.booking ? html` for booking ${filter.booking}` : ''}.</p>`
      : html`<table class="list">
    <thead><tr><th>Kind</th><th>Booking</th><th>To</th><th>Due (UTC)</th><th>Status</th><th>Tries</th><th>Sent (UTC)</th><th>Error</th><th></th></tr></thead>
    <tbody>${view.rows.map((n) => row(n, view.csrfToken))}</tbody>
  </table>`
  }
</section>`;
}

/** A booking page's reminders: what was and will be sent for it, linking to the Notifications page to retry. */
export function bookingRemindersSection(uid: string, rows: NotificationView[]): SafeHtml {
  return html`<section class="card" aria-label="Reminders">
  <h2>Reminders</h2>
  ${
    rows.length === 0
      ? html`<p class="empty">No reminders for this booking.</p>`
      : html`<table class="list">
    <thead><tr><th>To</th><th>Due (UTC)</th><th>Status</th><th>Sent (UTC)</th><th>Error</th></tr></thead>
    <tbody>${rows.map(
      (n) => html`<tr><td>${n.to}</td><td class="when">${dateTimeIn(n.due_at, 'UTC')}</td><td>${badge(n.status)}</td>
      <td class="when">${n.sent_at ? dateTimeIn(n.sent_at, 'UTC') : ''}</td><td class="error">${n.error ?? ''}</td></tr>`,
    )}</tbody>
  </table>`
  }
  <p><a href="${NOTIFICATIONS_PAGE}?booking=${encodeURIComponent(uid)}">All e-mails for this booking</a></p>
</section>`;
}
