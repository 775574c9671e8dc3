// calsync dashboard: keeps each active sync run's progress line current by polling its small JSON endpoint.
// Pages work without this script (reload to see progress); it only saves the reloads.

const POLL_MS = 1000;

function update(line, run) {
  const rows = run.rows.created + run.rows.updated + run.rows.unchanged;
  line.className = `run run-${run.status}`;
  const status = line.querySelector('.run-status');
  status.textContent = run.status;
  status.className = `run-status badge badge-${run.status}`;
  line.querySelector('.run-pages').textContent = `${run.pages} ${run.pages === 1 ? 'page' : 'pages'}`;
  line.querySelector('.run-rows').textContent = `${rows} rows`;
  line.querySelector('.run-changed').textContent = `${run.rows.created} new, ${run.rows.updated} updated`;
  line.querySelector('.run-error').textContent = run.error ?? '';
}

async function follow(line) {
  const id = line.dataset.run;
  for (;;) {
    try {
      const answer = await fetch(`/admin/calendar/runs/${encodeURIComponent(id)}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (answer.status === 401 || answer.status === 404) return;
      if (answer.ok) {
        const run = await answer.json();
        update(line, run);
        if (run.done) {
          line.dataset.run = '';
          return;
        }
      }
    } catch {
      // the server restarts or the network blips: keep trying
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  for (const line of document.querySelectorAll('[data-run]')) if (line.dataset.run) follow(line);
});

// Live bookings: the bookings list follows the change feed (GET /admin/api/changes/stream, opened with the session
// cookie). A booking's row is updated in place, a new booking that fits the filters is put where the list's order
// puts it, and the indicator says whether the page is live. EventSource reconnects by itself and resumes with
// Last-Event-ID; after a refusal (the session expired, the server restarted) it is opened again from the last id.

const STREAM = '/admin/api/changes/stream';
const REOPEN_MS = 5000;
const utcFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
// As the server renders it (views/format.ts dateTimeIn).
const when = (iso) => (iso ? `${utcFormat.format(new Date(iso))} (UTC)` : '—');

function badgeOf(status) {
  const span = document.createElement('span');
  span.className = `badge badge-${/^[a-z_]+$/.test(status) ? status : 'unknown'}`;
  span.textContent = status;
  return span;
}

function cell(field, ...children) {
  const td = document.createElement('td');
  td.dataset.field = field;
  td.append(...children);
  return td;
}

function newRow(uid) {
  const row = document.createElement('tr');
  row.dataset.booking = uid;
  const link = document.createElement('a');
  link.dataset.field = 'attendee';
  link.href = `/admin/calendar/bookings/${encodeURIComponent(uid)}`;
  const email = document.createElement('div');
  email.className = 'muted';
  email.dataset.field = 'email';
  const who = document.createElement('td');
  who.append(link, email);
  row.append(cell('start'), who, cell('event-type'), cell('status'));
  return row;
}

function fill(row, booking) {
  row.dataset.start = booking.start_time ?? '';
  row.querySelector('[data-field="start"]').textContent = when(booking.start_time);
  row.querySelector('[data-field="attendee"]').textContent = booking.attendee_name || '(no name)';
  row.querySelector('[data-field="email"]').textContent = booking.attendee_email ?? '';
  row.querySelector('[data-field="event-type"]').textContent = booking.event_type_slug || booking.event_type_id || '';
  row.querySelector('[data-field="status"]').replaceChildren(badgeOf(booking.status));
}

function fits(filters, booking) {
  const start = booking.start_time ? Date.parse(booking.start_time) : null;
  const who = `${booking.attendee_name ?? ''} ${booking.attendee_email ?? ''}`.toLowerCase();
  if (filters.filterStatus && booking.status !== filters.filterStatus) return false;
  if (filters.filterEventType && booking.event_type_id !== filters.filterEventType) return false;
  if (filters.filterQ && !who.includes(filters.filterQ.toLowerCase())) return false;
  if (filters.filterFrom && (start === null || start < Date.parse(filters.filterFrom))) return false;
  if (filters.filterTo && (start === null || start >= Date.parse(filters.filterTo))) return false;
  return true;
}

// Rows are ordered by start, those without one last; past the page's last row the booking belongs to a later page.
function place(section, row) {
  const body = section.querySelector('tbody');
  const start = row.dataset.start;
  const next = [...body.rows].find((r) => (start ? !r.dataset.start || r.dataset.start > start : false));
  if (next) body.insertBefore(row, next);
  else if (section.dataset.more === 'true') return false;
  else body.append(row);
  section.querySelector('table').hidden = false;
  section.querySelector('.empty').hidden = true;
  return true;
}

function show(section, booking) {
  const existing = [...section.querySelectorAll('tr[data-booking]')].find((r) => r.dataset.booking === booking.uid);
  if (existing) return fill(existing, booking);
  if (!fits(section.dataset, booking)) return;
  const row = newRow(booking.uid);
  fill(row, booking);
  place(section, row);
}

function followChanges(section, indicator, after) {
  let lastId = after;
  const state = (name, text) => {
    indicator.hidden = false;
    indicator.className = `live-indicator live-${name}`;
    indicator.textContent = text;
  };
  state('connecting', 'connecting…');
  const source = new EventSource(lastId ? `${STREAM}?after=${encodeURIComponent(lastId)}` : STREAM);
  source.addEventListener('open', () => state('live', 'live'));
  source.addEventListener('message', (event) => {
    lastId = event.lastEventId || lastId;
    const change = JSON.parse(event.data);
    if (change.booking) show(section, change.booking);
  });
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) return state('reconnecting', 'reconnecting…');
    state('offline', 'offline');
    setTimeout(() => followChanges(section, indicator, lastId), REOPEN_MS);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  const section = document.querySelector('[data-live-bookings]');
  const indicator = section?.querySelector('[data-live-indicator]');
  if (section && indicator && 'EventSource' in window) followChanges(section, indicator, '');
});
