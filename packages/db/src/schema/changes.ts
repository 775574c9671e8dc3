import type { InferSelectModel } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The types a Change can have (README, "The change feed"). */
export const changeTypes = [
  'booking.created',
  'booking.updated',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.rejected',
  'booking.completed',
  'booking.no_show',
  'event_type.created',
  'event_type.updated',
  'event_type.deactivated',
] as const;
export type ChangeType = (typeof changeTypes)[number];

/**
 * The change feed: one row per change a user would notice on a booking or an event type, appended by the triggers of
 * migrations 0005 and 0011 in the same transaction as the row change, so every writer produces them. Each statement's
 * Changes are made set-based into `cal_changes_pending` and moved here at commit under one lock, so ids are handed
 * out in commit order: a reader that saw id n can never later find a new id below n.
 * Append-only: only the retention delete removes rows.
 */
export const calChanges = pgTable(
  'cal_changes',
  {
    id: bigserial({ mode: 'bigint' }).primaryKey(),
    type: text().$type<ChangeType>().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set on booking changes. */
    bookingUid: text(),
    /** Set on event-type changes (Cal.com's id). */
    calEventTypeId: text(),
    /** The booking or event type as it is after the change (the Change's `booking` / `event_type`). */
    subject: jsonb().$type<Record<string, unknown>>().notNull(),
    /** `{ field: { from, to } }` for every user-visible field that changed; `{}` on creation. */
    changed: jsonb().$type<Record<string, { from: unknown; to: unknown }>>().notNull(),
  },
  (t) => [
    index('cal_changes_occurred_at_idx').on(t.occurredAt),
    index('cal_changes_booking_uid_idx').on(t.bookingUid, t.id),
  ],
);

export type CalChange = InferSelectModel<typeof calChanges>;
