import { createHash } from 'node:crypto';
import { type EnvelopeSummary, readEnvelope, WebhookShapeError } from '@calsync/cal-client';
import { HttpError } from '@calsync/service-kit';

/** Deeper JSON than this is refused with a clean 400 (Cal.com's own payloads nest about six levels). */
export const MAX_JSON_DEPTH = 128;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface ReadDelivery {
  /** SHA-256 (hex) of the raw body: the delivery's id. */
  id: string;
  rawBody: string;
  summary: EnvelopeSummary;
}

/** Decodes, parses and checks a delivery's raw body; throws HttpError `invalid_json` / `invalid_envelope`. */
export function readDelivery(raw: Buffer): ReadDelivery {
  if (raw.length === 0) throw new HttpError('invalid_json', 'body is empty: expected a JSON object');
  let rawBody: string;
  try {
    rawBody = utf8.decode(raw);
  } catch {
    throw new HttpError('invalid_json', 'body is not valid UTF-8');
  }
  const depth = jsonDepth(raw);
  if (depth > MAX_JSON_DEPTH) {
    throw new HttpError('invalid_json', `body nests JSON deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    throw new HttpError('invalid_json', `body is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return { id: createHash('sha256').update(raw).digest('hex'), rawBody, summary: readEnvelope(json) };
  } catch (error) {
    if (error instanceof WebhookShapeError) throw new HttpError('invalid_envelope', error.message);
    throw error;
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
