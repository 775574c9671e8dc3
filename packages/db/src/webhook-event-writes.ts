import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';
import { columnName, queryRow, queryRows } from './query.ts';
import { calWebhookEvents } from './schema/index.ts';
import type { Transaction } from './transaction.ts';

/**
 * Every write to `cal_webhook_events` (and the row locks that guard them): ingest stores deliveries, the worker locks,
 * applies and fails them, a replay resets them. Readers (dashboards, metrics, the sweeper) query the table themselves.
 */

const t = calWebhookEvents;
const e = alias(calWebhookEvents, 'e');
/** The columns a delivery is stored with, in DeliveryRowRecord's order. */
const storedColumns = sql`(${columnName(t.id)}, ${columnName(t.triggerEvent)}, ${columnName(t.bookingUid)},
  ${columnName(t.sentAt)}, ${columnName(t.rawBody)}, ${columnName(t.bodyEncoding)}, ${columnName(t.receivedAt)})`;

/** A delivery as ingest stores it: the envelope's summary columns beside the raw body. */
export interface DeliveryRowRecord {
  id: string;
  trigger_event: string;
  booking_uid: string | null;
  sent_at: string | null;
  raw_body: string;
  body_encoding: string;
  received_at: string;
}

/** Ingest's one multi-row insert; returns the ids this call stored (the others were already there: duplicates). */
export async function insertDeliveryRows(db: Database, records: DeliveryRowRecord[]): Promise<Set<string>> {
  // The worker may take the job from Redis and store the row from it before this insert runs (Redis usually answers
  // first): such a row carries this very request's received_at (unique to the microsecond), so it is ours, not a
  // duplicate (the no-op update makes RETURNING report it, and the primary key keeps it one row).
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into ${t} ${storedColumns}
      select id, trigger_event, booking_uid, sent_at, raw_body, body_encoding, received_at
      from json_to_recordset(${JSON.stringify(records)}::json) as x(id text, trigger_event text, booking_uid text,
        sent_at timestamptz, raw_body text, body_encoding text, received_at timestamptz)
      on conflict (${columnName(t.id)}) do update set ${columnName(t.receivedAt)} = excluded.${columnName(t.receivedAt)}
        where ${t.receivedAt} = excluded.${columnName(t.receivedAt)}
      returning ${t.id}`,
  );
  return new Set(rows.map((row) => row.id));
}

/** Stores a delivery the worker took from Redis alone (ingest could not reach PostgreSQL); no-op when it is stored. */
export async function storeDeliveryIfMissing(
  tx: Transaction,
  row: {
    id: string;
    triggerEvent: string;
    bookingUid: string | null;
    sentAt: Date | null;
    rawBody: string;
    bodyEncoding: string;
    receivedAt: string;
  },
): Promise<void> {
  await tx.execute(sql`insert into ${t} ${storedColumns}
    values (${row.id}, ${row.triggerEvent}, ${row.bookingUid},
      ${row.sentAt?.toISOString() ?? null}::timestamptz, ${row.rawBody}, ${row.bodyEncoding},
      ${row.receivedAt}::timestamptz)
    on conflict (${columnName(t.id)}) do nothing`);
}

/** A locked event row: its status and when ingest received it (epoch ms). */
export type LockedDeliveryRow = { status: string; received_ms: number };

/** Locks one event row for the transaction; undefined when it does not exist. */
export async function lockDeliveryRow(tx: Transaction, id: string): Promise<LockedDeliveryRow | undefined> {
  return await queryRow<LockedDeliveryRow>(
    tx,
    sql`select ${t.status}, (extract(epoch from ${t.receivedAt}) * 1000)::float8 as received_ms
        from ${t} where ${t.id} = ${id} for update`,
  );
}

/**
 * Locks the stored rows among these ids, in id order (so two batches never wait on each other in a cycle). Only the
 * ids go to PostgreSQL: the bodies are in the rows already.
 */
export async function lockDeliveryRows(
  tx: Transaction,
  ids: readonly string[],
): Promise<Array<LockedDeliveryRow & { id: string }>> {
  return await queryRows<LockedDeliveryRow & { id: string }>(
    tx,
    sql`select ${t.id}, ${t.status}, (extract(epoch from ${t.receivedAt}) * 1000)::float8 as received_ms
      from ${t} where ${t.id} in (select json_array_elements_text(${JSON.stringify(ids)}::json))
      order by ${t.id} for update`,
  );
}

export type AppliedStatus = 'processed' | 'ignored' | 'unrecognized';

/** Marks one delivery done with `status`, counting the attempt. */
export async function markDeliveryApplied(tx: Transaction, id: string, status: AppliedStatus): Promise<void> {
  await tx.execute(sql`update ${t} set ${columnName(t.status)} = ${status},
      ${columnName(t.attempts)} = ${t.attempts} + 1, ${columnName(t.error)} = null,
      ${columnName(t.processedAt)} = now(), ${columnName(t.updatedAt)} = now() where ${t.id} = ${id}`);
}

/** Marks several deliveries done in one statement (the worker's batch path). */
export async function markDeliveriesApplied(
  tx: Transaction,
  applied: Array<{ id: string; status: AppliedStatus }>,
): Promise<void> {
  await queryRows(
    tx,
    sql`update ${t} ${e} set ${columnName(e.status)} = x.status, ${columnName(e.attempts)} = ${e.attempts} + 1,
        ${columnName(e.error)} = null, ${columnName(e.processedAt)} = now(), ${columnName(e.updatedAt)} = now()
        from json_to_recordset(${JSON.stringify(applied)}::json) as x(id text, status text) where ${e.id} = x.id`,
  );
}

/**
 * Counts a failed attempt with its error; the row becomes `failed` at `maxAttempts`. Undefined when the row is already
 * done (or missing).
 */
export async function recordDeliveryFailure(
  tx: Transaction,
  id: string,
  message: string,
  maxAttempts: number,
): Promise<{ status: 'received' | 'failed'; attempts: number } | undefined> {
  return await queryRow<{ status: 'received' | 'failed'; attempts: number }>(
    tx,
    sql`update ${t} set ${columnName(t.attempts)} = ${t.attempts} + 1,
      ${columnName(t.error)} = ${message.slice(0, 2_000)}, ${columnName(t.updatedAt)} = now(),
      ${columnName(t.status)} = case when ${t.attempts} + 1 >= ${maxAttempts} then 'failed' else ${t.status} end
      where ${t.id} = ${id} and ${t.status} not in ('processed', 'ignored', 'unrecognized')
      returning ${t.status}, ${t.attempts}`,
  );
}

/** Puts a stored delivery back to `received` (attempts 0, no error) for a replay; undefined when there is no row. */
export async function resetDeliveryForReplay(
  db: Database,
  id: string,
): Promise<{ rawBody: string; receivedAt: Date } | undefined> {
  const [row] = await db
    .update(calWebhookEvents)
    .set({ status: 'received', attempts: 0, error: null, processedAt: null, updatedAt: new Date() })
    .where(eq(calWebhookEvents.id, id))
    .returning({ rawBody: calWebhookEvents.rawBody, receivedAt: calWebhookEvents.receivedAt });
  return row;
}
