import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const syncKinds = ['bookings_sync', 'reconcile', 'event_types_sync', 'complete_past'] as const;
export type SyncKind = (typeof syncKinds)[number];
export const syncTriggers = ['schedule', 'manual'] as const;
export type SyncTrigger = (typeof syncTriggers)[number];
export const syncRunStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export type SyncRunStatus = (typeof syncRunStatuses)[number];

const tz = { withTimezone: true } as const;

/** Every sync and reconciliation, updated after every page so a killed worker resumes from `checkpoint`. */
export const calSyncRuns = pgTable(
  'cal_sync_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text().$type<SyncKind>().notNull(),
    trigger: text().$type<SyncTrigger>().notNull(),
    status: text().$type<SyncRunStatus>().notNull().default('queued'),
    queuedAt: timestamp(tz).notNull().defaultNow(),
    startedAt: timestamp(tz),
    finishedAt: timestamp(tz),
    requests: integer().notNull().default(0),
    pages: integer().notNull().default(0),
    rowsCreated: integer().notNull().default(0),
    rowsUpdated: integer().notNull().default(0),
    rowsUnchanged: integer().notNull().default(0),
    /** Items Cal.com returned that calsync could not take (each one in `cal_sync_skipped_items`). */
    itemsSkipped: integer().notNull().default(0),
    /** Bookings sync: the highest upstream `updatedAt` applied. */
    watermark: timestamp(tz),
    /** Where to resume: kind-specific (e.g. `{ skip, afterUpdatedAt }`). */
    checkpoint: jsonb().$type<Record<string, unknown>>(),
    error: text(),
    updatedAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [
    check(
      'cal_sync_runs_kind_check',
      sql`${t.kind} in ('bookings_sync', 'reconcile', 'event_types_sync', 'complete_past')`,
    ),
    check('cal_sync_runs_trigger_check', sql`${t.trigger} in ('schedule', 'manual')`),
    check('cal_sync_runs_status_check', sql`${t.status} in ('queued', 'running', 'succeeded', 'failed')`),
    // At most one queued or running run of each kind: a second request gets the first one.
    uniqueIndex('cal_sync_runs_one_active_per_kind').on(t.kind).where(sql`${t.status} in ('queued', 'running')`),
    index('cal_sync_runs_kind_finished_at_idx').on(t.kind, t.finishedAt),
  ],
);

export type CalSyncRun = InferSelectModel<typeof calSyncRuns>;
export type NewCalSyncRun = InferInsertModel<typeof calSyncRuns>;
