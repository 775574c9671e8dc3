import type { Database } from '@calsync/db';
import type { OutgoingMail } from './mailer.ts';
import { loadReminderFacts, renderReminder } from './reminder-content.ts';
import type { ClaimedNotification } from './send-due.ts';
import type { TemplateStore } from './templates.ts';

export interface ComposeDeps {
  db: Database;
  templates: TemplateStore;
  /** The owner's e-mails (agenda, alerts): built by owner-mail.ts. */
  composeOwnerMail: (row: ClaimedNotification) => Promise<OutgoingMail>;
}

/**
 * The message for a claimed row, built when it is sent so it shows the booking as it is then (a new meeting link, a
 * renamed event type). A reminder whose booking is gone composes to undefined and is cancelled.
 */
export function composer(deps: ComposeDeps) {
  return async (row: ClaimedNotification): Promise<OutgoingMail | undefined> => {
    if (row.kind !== 'reminder') return await deps.composeOwnerMail(row);
    if (!row.booking_uid) return undefined;
    const facts = await loadReminderFacts(deps.db, row.booking_uid, row.recipient);
    if (!facts) return undefined;
    const mail = await renderReminder(deps.templates, facts);
    return {
      to: row.recipient,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: [
        { filename: 'booking.ics', content: mail.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
      ],
    };
  };
}
