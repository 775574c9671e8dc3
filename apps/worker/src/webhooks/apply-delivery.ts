import { parseDelivery, readEnvelope, WebhookShapeError } from '@calsync/cal-client';
import {
  type Database,
  lockDeliveryRow,
  markDeliveryApplied,
  recordDeliveryFailure,
  storeDeliveryIfMissing,
  type Transaction,
  transaction,
} from '@calsync/db';
import type { ApplyDeliveryData } from '@calsync/jobs';
import { writeAttendees } from '../bookings/attendees.ts';
import { lockBookings } from '../bookings/lock-bookings.ts';
import { recordBookingFacts } from '../bookings/record-facts.ts';
import { upsertBookings } from '../bookings/upsert-bookings.ts';
import { storableJson } from '../bookings/values.ts';
import { type DeliveryEffect, mapDelivery } from './map-delivery.ts';

/**
 * `unrecognized`: a signed body calsync cannot read (a custom payload template, not JSON): stored as it came, and
 * `needsSync` asks for an incremental sync so the mirror still learns what happened.
 */
export type ApplyResult =
  | { status: 'processed' | 'ignored' | 'unrecognized'; eventTypeIds: string[]; uids: string[]; needsSync: boolean }
  | { status: 'already-done' };

/** Event rows in these states are done: a duplicate job leaves them alone. */
export const finishedEventStatuses = ['processed', 'ignored', 'unrecognized'] as const;
export const isFinished = (status: string) => (finishedEventStatuses as readonly string[]).includes(status);

/**
 * Applies one delivery in ONE transaction: stores the event row if ingest could not, locks it, skips it when it was
 * already applied, serialises per booking uid (advisory locks, sorted), runs the merge rule and marks the event.
 */
export async function applyDelivery(db: Database, data: ApplyDeliveryData): Promise<ApplyResult> {
  const json = parseJson(data);
  return await transaction(db, async (tx) => {
    await insertEventRow(tx, data, json);
    const event = await lockDeliveryRow(tx, data.deliveryId);
    if (!event) throw new Error(`event row ${data.deliveryId} vanished`);
    if (isFinished(event.status)) return { status: 'already-done' as const };

    const read = readDeliveryOrNull(json);
    const effect = read ? mapDelivery(read, new Date(Number(event.received_ms))) : null;
    if (effect) {
      await lockBookings(tx, effect.uids);
      await applyEffects(tx, [effect]);
    }
    const status = !read ? 'unrecognized' : effect ? 'processed' : 'ignored';
    await markDeliveryApplied(tx, data.deliveryId, status);
    return resultOf(status, effect);
  });
}

/** Writes what deliveries do, each step once for all of them: rows, then attendees (which settle seated bookings). */
export async function applyEffects(tx: Transaction, effects: DeliveryEffect[]): Promise<void> {
  const all = <T>(pick: (effect: DeliveryEffect) => T[]) => effects.flatMap(pick);
  const upserts = all((e) => e.upserts);
  if (upserts.length > 0) await upsertBookings(tx, upserts);
  const attendees = all((e) => e.attendees);
  if (attendees.length > 0) await writeAttendees(tx, attendees);
  const facts = all((e) => e.facts);
  if (facts.length > 0) await recordBookingFacts(tx, facts);
}

export function resultOf(status: 'processed' | 'ignored' | 'unrecognized', effect: DeliveryEffect | null): ApplyResult {
  if (!effect) return { status, eventTypeIds: [], uids: [], needsSync: status === 'unrecognized' };
  const eventTypeIds = effect.upserts.map((u) => u.state.eventTypeId).filter((id): id is string => id !== null);
  return { status, eventTypeIds, uids: effect.uids, needsSync: effect.needsSync };
}

/** What PostgreSQL holds after `recordFailure`: the row's status and its recorded attempts. */
export type RecordedFailure = { status: 'received' | 'failed'; attempts: number } | { status: 'already-done' };

/**
 * Records a failed attempt outside the rolled-back transaction, storing the row first when ingest could not. The row
 * becomes `failed` once it has used `maxAttempts` recorded attempts.
 * Throws when PostgreSQL cannot take it: then the job is the only record and must stay in Redis.
 */
export async function recordFailure(
  db: Database,
  data: ApplyDeliveryData,
  error: unknown,
  maxAttempts: number,
): Promise<RecordedFailure> {
  const message = error instanceof Error ? error.message : String(error);
  return await transaction(db, async (tx) => {
    await insertEventRow(tx, data, parseJson(data));
    const recorded = await recordDeliveryFailure(tx, data.deliveryId, message, maxAttempts);
    return recorded ?? { status: 'already-done' as const };
  });
}

/**
 * The body as JSON with its text made storable (see `storableJson`), or null when it is not JSON (or not text at all:
 * ingest keeps such bodies as base64).
 */
export function parseJson(data: Pick<ApplyDeliveryData, 'rawBody' | 'bodyEncoding'>): unknown {
  if (data.bodyEncoding === 'base64') return null;
  try {
    return storableJson(JSON.parse(data.rawBody));
  } catch {
    return null;
  }
}

/** The delivery as calsync reads it, or null for a body in a shape calsync does not read (stored as `unrecognized`). */
export function readDeliveryOrNull(json: unknown) {
  if (json === null) return null;
  try {
    return parseDelivery(json);
  } catch (error) {
    if (error instanceof WebhookShapeError) return null;
    throw error;
  }
}

/** Ingest may have acknowledged with Redis alone (PostgreSQL down): the job carries the raw body to store. */
async function insertEventRow(tx: Transaction, data: ApplyDeliveryData, json: unknown) {
  const summary = readEnvelope(json);
  await storeDeliveryIfMissing(tx, {
    id: data.deliveryId,
    triggerEvent: summary.triggerEvent,
    bookingUid: summary.bookingUid,
    sentAt: summary.sentAt ?? null,
    rawBody: data.rawBody,
    bodyEncoding: data.bodyEncoding ?? 'utf8',
    receivedAt: data.receivedAt,
  });
}
