import type { Database } from '@calsync/db';
import { loadAgenda } from './agenda.ts';
import type { OutgoingMail } from './mailer.ts';
import type { ClaimedNotification } from './send-due.ts';
import { escapeHtml, type TemplateStore } from './templates.ts';

function line(
  item: { start_time: string; title: string | null; attendee_name: string | null },
  format: Intl.DateTimeFormat,
) {
  return `${format.format(new Date(item.start_time))}  ${item.title ?? '(no title)'}${item.attendee_name ? ` with ${item.attendee_name}` : ''}`;
}

function lists(lines: string[], none: string) {
  return {
    text: lines.length ? lines.map((l) => `- ${l}`).join('\n') : none,
    html: lines.length
      ? `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`
      : `<p>${escapeHtml(none)}</p>`,
  };
}

/** The owner's e-mails: alerts and "resolved" from the text fixed in the row, the agenda from the bookings now. */
export function ownerMailComposer(db: Database, templates: TemplateStore) {
  return async (row: ClaimedNotification): Promise<OutgoingMail> => {
    const details = row.details as Record<string, string>;
    if (row.kind === 'alert' || row.kind === 'resolved') {
      const mail = await templates.render(row.kind, {
        summary: details.summary ?? details.problem ?? 'a problem',
        detail: details.detail ?? '',
        problem: details.problem ?? '',
      });
      return { to: row.recipient, ...mail };
    }
    const date = details.date ?? new Date().toISOString().slice(0, 10);
    const timeZone = details.time_zone ?? 'UTC';
    const agenda = await loadAgenda(db, date, timeZone);
    const time = new Intl.DateTimeFormat('en-GB', { timeZone, timeStyle: 'short' });
    const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    const sessions = lists(
      agenda.sessions.map((s) => line(s, time)),
      'No sessions today.',
    );
    const pending = lists(
      agenda.pending.map((p) => line(p, dateTime)),
      'No pending requests.',
    );
    const mail = await templates.render('agenda', {
      date,
      time_zone: timeZone,
      session_count: String(agenda.sessions.length),
      pending_count: String(agenda.pending.length),
      sessions: sessions.text,
      sessions_html: sessions.html,
      pending: pending.text,
      pending_html: pending.html,
    });
    return { to: row.recipient, ...mail };
  };
}
