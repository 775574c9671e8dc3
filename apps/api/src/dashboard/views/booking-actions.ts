import { randomUUID } from 'node:crypto';
import type { CalBooking, CalBookingAttendee } from '@calsync/db';
import type { AuditRow } from '../../actions/audit.ts';
import type { BookingAction } from '../../actions/booking-rules.ts';
import { html, type SafeHtml } from '../html.ts';
import { badge, dateTimeIn } from './format.ts';
import { DASHBOARD } from './layout.ts';

/** A message shown where the admin acted: what Cal.com did, or why nothing changed. */
export interface Notice {
  kind: 'done' | 'refused';
  text: string;
}

export function noticeBox(notice: Notice | undefined): SafeHtml | '' {
  if (!notice) return '';
  return notice.kind === 'done'
    ? html`<p class="notice" role="status" data-result="done">${notice.text}</p>`
    : html`<p class="error" role="alert" data-result="refused">${notice.text}</p>`;
}

const labels: Record<BookingAction, { open: string; confirm: string; question: string }> = {
  confirm: { open: 'Confirm…', confirm: 'Yes, confirm it in Cal.com', question: 'Confirm this booking request?' },
  decline: { open: 'Decline…', confirm: 'Yes, decline it in Cal.com', question: 'Decline this booking request?' },
  cancel: {
    open: 'Cancel booking…',
    confirm: 'Yes, cancel it in Cal.com',
    question: 'Cancel this booking for everyone?',
  },
  'mark-absent': {
    open: 'Mark attendee absent…',
    confirm: 'Yes, mark absent in Cal.com',
    question: 'Who did not come?',
  },
};

function fields(action: BookingAction, attendees: CalBookingAttendee[], b: CalBooking): SafeHtml | '' {
  if (action === 'decline' || action === 'cancel') {
    return html`<label>Reason (sent to the attendee) <input name="reason" maxlength="2000" required></label>`;
  }
  if (action === 'mark-absent') {
    const present = attendees.filter((a) => !a.leftAt && !a.absent).map((a) => a.email);
    const emails = present.length > 0 ? present : b.attendeeEmail ? [b.attendeeEmail] : [];
    return html`<label>Attendee <select name="attendee">${emails.map((e) => html`<option value="${e}">${e}</option>`)}</select></label>`;
  }
  return '';
}

/**
 * One form per action the booking's state allows. Each opens behind a first click (`<details>`): the second click
 * sends it. The form carries the CSRF token and its own idempotency key, so a double click makes one Cal.com call.
 */
export function bookingActionsCard(
  b: CalBooking,
  attendees: CalBookingAttendee[],
  allowed: BookingAction[],
  csrfToken: string,
): SafeHtml {
  const forms = allowed.map((action) => {
    const label = labels[action];
    return html`<details class="action" data-action="${action}">
  <summary>${label.open}</summary>
  <form method="post" action="${DASHBOARD}/bookings/${encodeURIComponent(b.calUid)}/${action}">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <input type="hidden" name="idempotency_key" value="${randomUUID()}">
    <p>${label.question}</p>
    ${fields(action, attendees, b)}
    <button type="submit">${label.confirm}</button>
  </form>
</details>`;
  });
  return html`<section class="card" aria-label="Manage">
  <h2>Manage in Cal.com</h2>
  ${forms.length === 0 ? html`<p class="empty">Nothing to do for a ${b.status} booking.</p>` : forms}
</section>`;
}

function auditItem(row: AuditRow): SafeHtml {
  const asked = Object.entries(row.request)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
  const answer = row.cal_error_code ? `${row.cal_status ?? ''} ${row.cal_error_code}` : `${row.cal_status ?? '—'}`;
  return html`<li data-audit="${row.action}">
  <span class="when">${dateTimeIn(row.created_at, 'UTC')}</span> <strong>${row.action}</strong> ${badge(row.outcome)}
  <span class="muted">by ${row.actor}${asked && ` (${asked})`}; Cal.com answered ${answer}</span>
</li>`;
}

/** What admins asked Cal.com to do with this booking, and what Cal.com answered. */
export function auditSection(rows: AuditRow[]): SafeHtml {
  return html`<section class="card" aria-label="Audit trail">
  <h2>Changes made from calsync</h2>
  ${rows.length === 0 ? html`<p class="empty">None yet.</p>` : html`<ol class="timeline">${rows.map(auditItem)}</ol>`}
</section>`;
}
