import type { CalBooking, CalBookingAttendee } from '@calsync/db';
import { html, type SafeHtml } from '../html.ts';
import type { DeliverySummary } from '../queries.ts';
import { badge, dateTimeIn } from './format.ts';
import { DASHBOARD } from './layout.ts';

/** A link only for http(s) URLs: a `javascript:` location from a webhook must never become clickable. */
function safeLink(value: string | null): SafeHtml | string {
  if (!value) return '—';
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') {
      return html`<a href="${url.href}" rel="noopener noreferrer" target="_blank">${value}</a>`;
    }
  } catch {}
  return value;
}

function bookingLink(uid: string | null): SafeHtml | string {
  return uid ? html`<a href="${DASHBOARD}/bookings/${encodeURIComponent(uid)}">${uid}</a>` : '—';
}

function times(label: string, b: CalBooking, zone: string | null): SafeHtml {
  return html`<dt>${label}</dt><dd>${dateTimeIn(b.startTime, zone)} – ${dateTimeIn(b.endTime, zone)}</dd>`;
}

function timelineItem(d: DeliverySummary): SafeHtml {
  return html`<li class="delivery" data-delivery="${d.id}">
  <span class="when">${dateTimeIn(d.receivedAt, 'UTC')}</span>
  <strong>${d.triggerEvent}</strong> ${badge(d.status)}
  ${d.sentAt && html`<span class="muted">sent ${dateTimeIn(d.sentAt, 'UTC')}</span>`}
  ${d.attempts > 1 && html`<span class="muted">${d.attempts} attempts</span>`}
  ${d.error && html`<div class="error">${d.error}</div>`}
</li>`;
}

function attendeeRow(a: CalBookingAttendee): SafeHtml {
  const state = a.leftAt ? html`${badge('left')} <span class="muted">${dateTimeIn(a.leftAt, 'UTC')}</span>` : 'on it';
  return html`<tr data-attendee="${a.email}">
  <td>${a.name ?? '—'}</td><td>${a.email}</td><td>${a.timeZone ?? '—'}</td>
  <td>${a.seatUid ? html`<code>${a.seatUid}</code>` : '—'}</td>
  <td>${a.absent === null ? '—' : a.absent ? badge('no-show') : 'present'}</td><td>${state}</td>
</tr>`;
}

/** Everyone on the booking: one row for a plain booking, one per seat holder on a seated event. */
function attendeesSection(b: CalBooking, attendees: CalBookingAttendee[]): SafeHtml {
  const onIt = attendees.filter((a) => !a.leftAt).length;
  const heading = b.seatsPerTimeSlot ? `Seats (${onIt} of ${b.seatsPerTimeSlot} taken)` : 'Attendees';
  return html`<section class="card" aria-label="Attendees">
  <h2>${heading}</h2>
  ${
    attendees.length === 0
      ? html`<p class="empty">No attendee known yet.</p>`
      : html`<table class="list">
    <thead><tr><th>Name</th><th>E-mail</th><th>Time zone</th><th>Seat</th><th>No-show</th><th>State</th></tr></thead>
    <tbody>${attendees.map(attendeeRow)}</tbody>
  </table>`
  }
</section>`;
}

/** What an admin can do with the booking and what was done from calsync. */
export interface BookingManagement {
  notice: SafeHtml | '';
  actions: SafeHtml;
  audit: SafeHtml;
}

/**
 * One booking: attendee, times in both zones, meeting link, location, seats, and every delivery about it; with
 * `manage`, the actions its state allows (and the last one's result) and, under the timeline, the audit trail.
 */
export function bookingDetails(
  b: CalBooking,
  attendees: CalBookingAttendee[],
  timeline: DeliverySummary[],
  manage?: BookingManagement,
): SafeHtml {
  return html`${manage?.notice ?? ''}<section class="card">
  <p><a href="${DASHBOARD}">« Bookings</a></p>
  <h1>${b.title ?? '(untitled booking)'} ${badge(b.status)}</h1>
  <dl class="details">
    <dt>Attendee</dt><dd>${b.attendeeName ?? '—'} &lt;${b.attendeeEmail ?? '—'}&gt;</dd>
    ${times(`Attendee's time (${b.attendeeTimezone ?? 'unknown zone'})`, b, b.attendeeTimezone)}
    ${times(`Owner's time (${b.organizerTimezone ?? 'unknown zone'})`, b, b.organizerTimezone)}
    <dt>Meeting link</dt><dd>${safeLink(b.meetingUrl)}</dd>
    <dt>Location</dt><dd>${safeLink(b.location)}</dd>
    <dt>Event type</dt><dd>${b.eventTypeSlug ?? '—'} (${b.eventTypeId ?? '—'})</dd>
    <dt>Cal.com uid</dt><dd><code>${b.calUid}</code> (booking ${b.calBookingId ?? '—'}${b.calStatus && html`, Cal.com status <code>${b.calStatus}</code>`})</dd>
    ${b.recurringBookingUid && html`<dt>Recurring series</dt><dd><code>${b.recurringBookingUid}</code></dd>`}
    ${b.noShowHost && html`<dt>Host</dt><dd>${badge('no-show')}</dd>`}
    ${b.rescheduledFromUid && html`<dt>Rescheduled from</dt><dd>${bookingLink(b.rescheduledFromUid)}</dd>`}
    ${b.rescheduledToUid && html`<dt>Rescheduled to</dt><dd>${bookingLink(b.rescheduledToUid)}</dd>`}
    ${b.cancellationReason && html`<dt>Cancellation reason</dt><dd>${b.cancellationReason}</dd>`}
    ${b.rejectionReason && html`<dt>Rejection reason</dt><dd>${b.rejectionReason}</dd>`}
    <dt>Last change</dt><dd>${dateTimeIn(b.updatedAt, 'UTC')} from ${b.source ?? '—'}</dd>
  </dl>
</section>
${manage?.actions ?? ''}
${attendeesSection(b, attendees)}
<section class="card" aria-label="Timeline">
  <h2>Timeline of deliveries</h2>
  ${timeline.length === 0 ? html`<p class="empty">No deliveries about this booking (it came from a sync).</p>` : html`<ol class="timeline">${timeline.map(timelineItem)}</ol>`}
</section>
${manage?.audit ?? ''}`;
}
