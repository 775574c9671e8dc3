import { WebhookShapeError } from './errors.ts';

/** Triggers whose body is the flat booking row (`{triggerEvent, ...booking}`) instead of an envelope. */
export const flatTriggers = new Set(['MEETING_STARTED', 'MEETING_ENDED']);

/** What ingest needs to know about a delivery: no booking logic, just enough to index the stored row. */
export interface EnvelopeSummary {
  triggerEvent: string;
  /** The envelope's `createdAt` (time of sending); null for flat bodies. */
  sentAt: Date | null;
  /** `payload.uid`, `payload.bookingUid` or the flat body's `uid`, when present. */
  bookingUid: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A light check of the Cal.com envelope (`triggerEvent` string, `createdAt` ISO time, `payload` object; flat
 * bodies for MEETING_* triggers). Unknown triggers pass. Throws a WebhookShapeError naming the field.
 */
export function readEnvelope(json: unknown): EnvelopeSummary {
  if (!isObject(json)) throw new WebhookShapeError('', 'body must be a JSON object');
  const { triggerEvent, createdAt, payload } = json;
  if (typeof triggerEvent !== 'string' || triggerEvent === '') {
    throw new WebhookShapeError('triggerEvent', 'must be a string');
  }
  if (flatTriggers.has(triggerEvent) && payload === undefined) {
    return { triggerEvent, sentAt: null, bookingUid: typeof json.uid === 'string' ? json.uid : null };
  }
  if (!isObject(payload)) throw new WebhookShapeError('payload', 'must be an object');
  const sentAt = typeof createdAt === 'string' ? new Date(createdAt) : null;
  if (!sentAt || Number.isNaN(sentAt.getTime())) throw new WebhookShapeError('createdAt', 'must be an ISO date-time');
  const uid = [payload.uid, payload.bookingUid].find((v) => typeof v === 'string' && v !== '');
  return { triggerEvent, sentAt, bookingUid: (uid as string | undefined) ?? null };
}
