import { parseDelivery, readEnvelope, WebhookShapeError } from '@calsync/cal-client';
import type { Database, Transaction } from '@calsync/db';
import type { ApplyDeliveryData } from '@calsync/jobs';
import { sql } from 'drizzle-orm';
import { recordBookingFacts } from '../bookings/record-facts.ts';
import { upsertBookings } from '../bookings/upsert-bookings.ts';
import { mapDelivery } from './map-delivery.ts';

export type ApplyResult =
  | { status: 'processed' | 'ignored'; eventTypeIds: string[]; uids: string[] }
  | { status: 'already-done' };

/** A delivery that can never apply (its shape is wrong): retrying cannot help. */
export class UnusableDeliveryError extends Error {
  override name = 'UnusableDeliveryError';
}

/**
 * Applies one delivery in ONE transaction: stores the event row if ingest could not, locks it, skips it when it was
 * already applied, serialises per booking uid (advisory locks, sorted), runs the merge rule and marks the event.
 */
export async function applyDelivery(db: Database, data: ApplyDeliveryData): Promise<ApplyResult> {
  const json = parseJson(data.rawBody);
  return await db.transaction(async (tx) => {
    await insertEventRow(tx, data, json);
    const [event] = (await tx.execute(
      sql`select status, (extract(epoch from received_at) * 1000)::float8 as received_ms
        from cal_webhook_events where id = ${data.deliveryId} for update`,
    )) as unknown as Array<{ status: string; received_ms: number }>;
    if (!event) throw new Error(`event row ${data.deliveryId} vanished`);
    if (event.status === 'processed' || event.status === 'ignored') return { status: 'already-done' as const };

    const effect = mapDelivery(parseOrThrow(json), new Date(Number(event.received_ms)));
    if (effect) {
      for (const uid of [...new Set(effect.uids)].sort()) {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`booking:${uid}`}, 0))`);
      }
      await upsertBookings(tx, effect.upserts);
      await recordBookingFacts(tx, effect.facts);
    }
    const status = effect ? 'processed' : 'ignored';
    await tx.execute(sql`update cal_webhook_events set status = ${status}, attempts = attempts + 1, error = null,
      processed_at = now(), updated_at = now() where id = ${data.deliveryId}`);
    if (!effect) return { status, eventTypeIds: [], uids: [] };
    const eventTypeIds = effect.upserts.map((u) => u.state.eventTypeId).filter((id): id is string => id !== null);
    return { status, eventTypeIds, uids: effect.uids };
  });
}

/** What PostgreSQL holds after `recordFailure`: the row's status and its recorded attempts. */
export type RecordedFailure = { status: 'received' | 'failed'; attempts: number } | { status: 'already-done' };

/**
 * Records a failed attempt outside the rolled-back transaction, storing the row first when ingest could not. The row
 * becomes `failed` when the delivery can never apply (`unusable`) or has used `maxAttempts` recorded attempts.
 * Throws when PostgreSQL cannot take it: then the job is the only record and must stay in Redis.
 */
export async function recordFailure(
  db: Database,
  data: ApplyDeliveryData,
  error: unknown,
  limits: { unusable: boolean; maxAttempts: number },
): Promise<RecordedFailure> {
  const message = error instanceof Error ? error.message : String(error);
  return await db.transaction(async (tx) => {
    await insertEventRow(tx, data, parseJson(data.rawBody));
    const [row] = (await tx.execute(sql`update cal_webhook_events set attempts = attempts + 1,
      error = ${message.slice(0, 2_000)}, updated_at = now(),
      status = case when ${limits.unusable} or attempts + 1 >= ${limits.maxAttempts} then 'failed' else status end
      where id = ${data.deliveryId} and status not in ('processed', 'ignored')
      returning status, attempts`)) as unknown as Array<{ status: 'received' | 'failed'; attempts: number }>;
    return row ?? { status: 'already-done' as const };
  });
}

/** The body as JSON, or the SyntaxError itself (ingest checked it, so this only happens to a corrupted job). */
export function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch (error) {
    return error;
  }
}

export function parseOrThrow(json: unknown) {
  try {
    if (json instanceof SyntaxError) throw json;
    return parseDelivery(json);
  } catch (error) {
    if (error instanceof WebhookShapeError || error instanceof SyntaxError) {
      throw new UnusableDeliveryError(`cannot apply delivery: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Ingest may have acknowledged with Redis alone (PostgreSQL down): the job carries the raw body to store. */
async function insertEventRow(tx: Transaction, data: ApplyDeliveryData, json: unknown) {
  let summary: ReturnType<typeof readEnvelope> | null = null;
  try {
    summary = readEnvelope(json);
  } catch {
    // Ingest checked the envelope; a body that no longer reads is stored anyway and fails visibly when applied.
  }
  await tx.execute(sql`insert into cal_webhook_events (id, trigger_event, booking_uid, sent_at, raw_body, received_at)
    values (${data.deliveryId}, ${summary?.triggerEvent ?? 'UNKNOWN'}, ${summary?.bookingUid ?? null},
      ${summary?.sentAt?.toISOString() ?? null}::timestamptz, ${data.rawBody}, ${data.receivedAt}::timestamptz)
    on conflict (id) do nothing`);
}
