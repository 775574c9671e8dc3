import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** What a notification is: an attendee reminder, or one of the owner's e-mails. */
export const notificationKinds = ['reminder', 'agenda', 'alert', 'resolved'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** `sending` is a claim with a lease (`next_attempt_at`): a sender that dies leaves it to be taken again after it. */
export const notificationStatuses = ['scheduled', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

const tz = { withTimezone: true } as const;

/** One e-mail calsync sends or will send: the record the sender claims, the dashboard lists and an admin retries. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    /**
     * What makes this message unique, e.g. `reminder:<uid>:<offset ms>:<start ISO>:<email>`: scheduling the same
     * message twice (two workers, a restart) lands on the same row, so it is sent once.
     */
    dedupeKey: text().notNull().unique(),
    kind: text().$type<NotificationKind>().notNull(),
    bookingUid: text(),
    recipient: text().notNull(),
    /** Reminders: how long before the start it is due, and the start it was computed from. */
    offsetMs: bigint({ mode: 'number' }),
    startTime: timestamp(tz),
    dueAt: timestamp(tz).notNull(),
    status: text().$type<NotificationStatus>().notNull().default('scheduled'),
    /** When the sender may take it next: `due_at`, then the retry time, or the end of a `sending` lease. */
    nextAttemptAt: timestamp(tz).notNull(),
    attempts: integer().notNull().default(0),
    /** Owner e-mails: what to say (the problem, its details), fixed when the row is written. */
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    sentAt: timestamp(tz),
    messageId: text(),
    error: text(),
    createdAt: timestamp(tz).notNull().defaultNow(),
    updatedAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [
    check('notifications_kind_check', sql`${t.kind} in ('reminder', 'agenda', 'alert', 'resolved')`),
    check('notifications_status_check', sql`${t.status} in ('scheduled', 'sending', 'sent', 'failed', 'cancelled')`),
    // The sender's claim: only rows still waiting, in the order they fall due.
    index('notifications_pending_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('scheduled', 'sending')`),
    index('notifications_booking_uid_idx').on(t.bookingUid),
    index('notifications_kind_created_at_idx').on(t.kind, t.createdAt),
  ],
);

export type Notification = InferSelectModel<typeof notifications>;
export type NewNotification = InferInsertModel<typeof notifications>;
