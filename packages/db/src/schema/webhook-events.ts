import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A delivery's processing state. `ignored`: stored and acknowledged, but nothing to apply (PING, unknown triggers).
 * `unrecognized`: signed, stored and acknowledged, but not in a shape calsync reads (a custom payload template, a Zapier
 * body, not JSON): an incremental sync learns what it was about.
 */
export const webhookEventStatuses = ['received', 'processed', 'ignored', 'unrecognized', 'failed'] as const;
/** How `raw_body` holds the bytes: as text, or as base64 when they are not text PostgreSQL can store. */
export const webhookBodyEncodings = ['utf8', 'base64'] as const;
export type WebhookBodyEncoding = (typeof webhookBodyEncodings)[number];
export type WebhookEventStatus = (typeof webhookEventStatuses)[number];

const tz = { withTimezone: true } as const;

/** Every accepted delivery, raw body kept byte for byte. */
export const calWebhookEvents = pgTable(
  'cal_webhook_events',
  {
    /** SHA-256 (hex) of the raw body: the same bytes twice are the same delivery. */
    id: text().primaryKey(),
    triggerEvent: text().notNull(),
    /** The booking uid the delivery is about, when it names one. */
    bookingUid: text(),
    /** The envelope's `createdAt` (time of sending), when present. */
    sentAt: timestamp(tz),
    rawBody: text().notNull(),
    bodyEncoding: text().$type<WebhookBodyEncoding>().notNull().default('utf8'),
    status: text().$type<WebhookEventStatus>().notNull().default('received'),
    attempts: integer().notNull().default(0),
    error: text(),
    receivedAt: timestamp(tz).notNull().defaultNow(),
    processedAt: timestamp(tz),
    updatedAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [
    check(
      'cal_webhook_events_status_check',
      sql`${t.status} in ('received', 'processed', 'ignored', 'unrecognized', 'failed')`,
    ),
    check('cal_webhook_events_body_encoding_check', sql`${t.bodyEncoding} in ('utf8', 'base64')`),
    index('cal_webhook_events_booking_uid_idx').on(t.bookingUid, t.receivedAt),
    index('cal_webhook_events_status_received_at_idx').on(t.status, t.receivedAt),
    index('cal_webhook_events_received_at_idx').on(t.receivedAt),
  ],
);

export type CalWebhookEvent = InferSelectModel<typeof calWebhookEvents>;
export type NewCalWebhookEvent = InferInsertModel<typeof calWebhookEvents>;
