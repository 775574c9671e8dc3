import {
  type AdminActionKind,
  type AdminActionOutcome,
  calAdminActions,
  type Database,
  queryRows,
  type Transaction,
} from '@calsync/db';
import { sql } from 'drizzle-orm';

export interface AuditEntry {
  action: AdminActionKind;
  target: string;
  actor: string;
  request: Record<string, unknown>;
  idempotencyKey: string;
  outcome: AdminActionOutcome;
  calStatus?: number;
  calErrorCode?: string;
  calAnswer?: unknown;
}

/** One row of the audit trail (in the caller's transaction when the mirror changes with it). */
export async function recordAdminAction(db: Database | Transaction, entry: AuditEntry): Promise<void> {
  await db.insert(calAdminActions).values({
    ...entry,
    calStatus: entry.calStatus ?? null,
    calErrorCode: entry.calErrorCode ?? null,
    calAnswer: entry.calAnswer ?? null,
  });
}

export interface AuditRow {
  id: string;
  action: AdminActionKind;
  actor: string;
  outcome: AdminActionOutcome;
  request: Record<string, unknown>;
  cal_status: number | null;
  cal_error_code: string | null;
  created_at: string;
}

/** The audit trail of one booking or event type, oldest first. */
export async function auditTrailOf(db: Database, target: string): Promise<AuditRow[]> {
  return queryRows<AuditRow>(
    db,
    sql`
    select id, action, actor, outcome, request, cal_status, cal_error_code, created_at
    from cal_admin_actions where target = ${target} order by created_at, id`,
  );
}
