import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const adminActionKinds = ['confirm', 'decline', 'cancel', 'mark-absent', 'update-event-type'] as const;
export type AdminActionKind = (typeof adminActionKinds)[number];
/** `accepted`: Cal.com did it; `refused`: Cal.com answered with an error; `failed`: no usable answer (network, 5xx). */
export const adminActionOutcomes = ['accepted', 'refused', 'failed'] as const;
export type AdminActionOutcome = (typeof adminActionOutcomes)[number];

const tz = { withTimezone: true } as const;

/**
 * The audit trail of changes an admin asked calsync to make in Cal.com: who, when, what, and what Cal.com answered.
 * One row per Cal.com call (a repeated request replays the first answer and writes no row).
 */
export const calAdminActions = pgTable(
  'cal_admin_actions',
  {
    id: uuid().primaryKey().defaultRandom(),
    action: text().$type<AdminActionKind>().notNull(),
    /** The booking uid, or the event type's Cal.com id. */
    target: text().notNull(),
    /** Who asked: `admin-token`, `session`, or `supabase:<sub>`. */
    actor: text().notNull(),
    /** What was asked (the validated parameters, without credentials). */
    request: jsonb().$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text().notNull(),
    outcome: text().$type<AdminActionOutcome>().notNull(),
    /** Cal.com's HTTP status, when it answered. */
    calStatus: integer(),
    /** Cal.com's error code (`BadRequestException`, …) when it refused. */
    calErrorCode: text(),
    /** Cal.com's answer: the booking or event type it returned, or its error message. */
    calAnswer: jsonb().$type<unknown>(),
    createdAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [
    index('cal_admin_actions_target_idx').on(t.target, t.createdAt),
    index('cal_admin_actions_created_at_idx').on(t.createdAt),
    check(
      'cal_admin_actions_action_check',
      sql`${t.action} in ('confirm', 'decline', 'cancel', 'mark-absent', 'update-event-type')`,
    ),
    check('cal_admin_actions_outcome_check', sql`${t.outcome} in ('accepted', 'refused', 'failed')`),
  ],
);

export type CalAdminAction = InferSelectModel<typeof calAdminActions>;
export type NewCalAdminAction = InferInsertModel<typeof calAdminActions>;
