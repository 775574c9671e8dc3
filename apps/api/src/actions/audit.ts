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
  const a = calAdminActions;
  return queryRows<AuditRow>(
    db,
    sql`select ${a.id}, ${a.action}, ${a.actor}, ${a.outcome}, ${a.request}, ${a.calStatus}, ${a.calErrorCode}, ${a.createdAt}
    from ${a} where ${a.target} = ${target} order by ${a.createdAt}, ${a.id}`,
  );
}
