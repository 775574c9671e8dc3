import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tz = { withTimezone: true } as const;

export const calEventTypes = pgTable('cal_event_types', {
  // The original design's columns, names and types unchanged.
  id: uuid().primaryKey().defaultRandom(),
  calEventTypeId: text().notNull().unique(),
  slug: text(),
  title: text(),
  description: text(),
  length: integer(),
  price: integer(),
  currency: text(),
  active: boolean().notNull().default(true),
  metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  lastSyncedAt: timestamp(tz),
  createdAt: timestamp(tz).notNull().defaultNow(),

  // calsync's own columns.
  hidden: boolean().notNull().default(false),
  /** Set when the event type disappeared from Cal.com's answer; such a row is never active. */
  deletedAt: timestamp(tz),
  updatedAt: timestamp(tz).notNull().defaultNow(),
  /** The Cal.com team that owns a team event type (round-robin, collective); null for the key owner's own. */
  teamId: text(),
  /** Cal.com's `schedulingType` for team event types: `ROUND_ROBIN`, `COLLECTIVE`, `MANAGED`. */
  schedulingType: text(),
});

export type CalEventType = InferSelectModel<typeof calEventTypes>;
export type NewCalEventType = InferInsertModel<typeof calEventTypes>;
