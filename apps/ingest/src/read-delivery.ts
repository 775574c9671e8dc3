import { createHash } from 'node:crypto';
import { type EnvelopeSummary, readEnvelope } from '@calsync/cal-client/webhooks';

/** Deeper JSON than this is not parsed (Cal.com's own payloads nest about six levels): a hostile body cannot overflow. */
export const MAX_JSON_DEPTH = 128;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How a stored body holds its bytes: as text, or as base64 when PostgreSQL cannot keep them in a text column. */
export type BodyEncoding = 'utf8' | 'base64';

export interface ReadDelivery {
  /** SHA-256 (hex) of the raw bytes: the delivery's id. */
  id: string;
  /** The body as text, or the raw bytes in base64 (see `bodyEncoding`). */
  rawBody: string;
  bodyEncoding: BodyEncoding;
  summary: EnvelopeSummary;
  /** Why the body is not JSON (`body is not valid UTF-8`, …); null when it is. */
  notJson: string | null;
}

/**
 * Reads a delivery's raw bytes. Never refuses: a signed body is stored whatever it is (Cal.com never sends it again),
 * so what is not Cal.com's envelope is summarised as unrecognized and what is not text is kept as base64.
 */
export function readDelivery(raw: Buffer): ReadDelivery {
  const id = createHash('sha256').update(raw).digest('hex');
  let text: string | null;
  try {
    text = utf8.decode(raw);
  } catch {
    text = null;
  }
  // PostgreSQL's text type holds neither invalid UTF-8 nor NUL characters.
  const storable = text !== null && !text.includes('\u0000');
  const rawBody = storable ? text! : raw.toString('base64');
  const bodyEncoding: BodyEncoding = storable ? 'utf8' : 'base64';
  const { json, notJson } = parseJson(raw, text);
  return { id, rawBody, bodyEncoding, summary: readEnvelope(json), notJson };
}

function parseJson(raw: Buffer, text: string | null): { json: unknown; notJson: string | null } {
  if (raw.length === 0) return { json: undefined, notJson: 'body is empty: expected a JSON object' };
  if (text === null) return { json: undefined, notJson: 'body is not valid UTF-8' };
  if (jsonDepth(raw) > MAX_JSON_DEPTH) {
    return { json: undefined, notJson: `body nests JSON deeper than ${MAX_JSON_DEPTH} levels` };
  }
  try {
    return { json: JSON.parse(text), notJson: null };
  } catch (error) {
    return { json: undefined, notJson: `body is not valid JSON: ${(error as Error).message}` };
  }
}

/** The deepest nesting of `[` / `{` outside strings, found without parsing (so a hostile body cannot overflow). */
function jsonDepth(raw: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return max;
}
