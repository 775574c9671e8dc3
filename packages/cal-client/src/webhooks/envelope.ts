/** Triggers whose body may be the flat booking row (`{triggerEvent, ...booking}`) instead of an envelope. */
export const flatTriggers = new Set(['MEETING_STARTED', 'MEETING_ENDED']);

/** The trigger recorded for a body that names none (not JSON, a Zapier body, a custom template without one). */
export const UNKNOWN_TRIGGER = 'UNKNOWN';

/** What ingest needs to know about a delivery: no booking logic, just enough to index the stored row. */
export interface EnvelopeSummary {
  /** The body's `triggerEvent` when it is a non-empty string, else `UNKNOWN`. */
  triggerEvent: string;
  /** The envelope's `createdAt` (time of sending); null for flat and unrecognized bodies. */
  sentAt: Date | null;
  /** `payload.uid`, `payload.bookingUid` or the flat body's `uid`, when present; null for unrecognized bodies. */
  bookingUid: string | null;
  /**
   * Whether the body has Cal.com's own shape: `{triggerEvent, createdAt, payload}`, or a flat MEETING_* body. False for
   * custom payload templates, Zapier bodies and anything that is not a JSON object (they are stored all the same).
   */
  recognized: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the Cal.com envelope of a parsed body (`undefined` when the body is not JSON). Never throws: a signed body is
 * stored whatever its shape, so one that is not Cal.com's own is summarised as `recognized: false`.
 */
export function readEnvelope(json: unknown): EnvelopeSummary {
  if (!isObject(json) || typeof json.triggerEvent !== 'string' || json.triggerEvent === '') {
    return { triggerEvent: UNKNOWN_TRIGGER, sentAt: null, bookingUid: null, recognized: false };
  }
  const { triggerEvent, createdAt, payload } = json;
  const unrecognized = { triggerEvent, sentAt: null, bookingUid: null, recognized: false };
  if (flatTriggers.has(triggerEvent) && payload === undefined) {
    const uid = typeof json.uid === 'string' && json.uid !== '' ? json.uid : null;
    return { triggerEvent, sentAt: null, bookingUid: uid, recognized: true };
  }
  const sentAt = typeof createdAt === 'string' ? new Date(createdAt) : null;
  if (!isObject(payload) || !sentAt || Number.isNaN(sentAt.getTime())) return unrecognized;
  const uid = [payload.uid, payload.bookingUid].find((v) => typeof v === 'string' && v !== '');
  return { triggerEvent, sentAt, bookingUid: (uid as string | undefined) ?? null, recognized: true };
}

// Cal.com writes triggerEvent first, so the first bytes name it: no JSON.parse for a metrics label.
const leadingTriggerEvent = /"triggerEvent"\s*:\s*"([A-Z_]{2,48})"/;

/**
 * The trigger a raw body names in its first 512 characters, without parsing it; `undefined` when none is found there
 * (not Cal.com's shape, or a base64-held body). Cheap enough to run per delivery for metrics.
 */
export function peekTriggerEvent(rawBody: string): string | undefined {
  return leadingTriggerEvent.exec(rawBody.slice(0, 512))?.[1];
}
