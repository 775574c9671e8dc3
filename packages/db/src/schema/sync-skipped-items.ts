import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { calSyncRuns } from './sync-runs.ts';

const tz = { withTimezone: true } as const;

/** An item a sync run could not take (a shape the schema or the mapping refused): kept with its raw form and why. */
export const calSyncSkippedItems = pgTable(
  'cal_sync_skipped_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => calSyncRuns.id, { onDelete: 'cascade' }),
    /** The booking uid (or event type id) when the item names one. */
    itemKey: text(),
    raw: jsonb().$type<unknown>(),
    reason: text().notNull(),
    createdAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [
    index('cal_sync_skipped_items_run_id_idx').on(t.runId),
    index('cal_sync_skipped_items_created_at_idx').on(t.createdAt),
  ],
);

export type CalSyncSkippedItem = InferSelectModel<typeof calSyncSkippedItems>;
export type NewCalSyncSkippedItem = InferInsertModel<typeof calSyncSkippedItems>;
