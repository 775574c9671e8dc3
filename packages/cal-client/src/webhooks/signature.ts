import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'missing' | 'invalid';

/** What Cal.com sends in `X-Cal-Signature-256` when the webhook has no secret. */
export const NO_SECRET_SIGNATURE = 'no-secret-provided';

/** Lowercase hex HMAC-SHA256 of the raw body: Cal.com's `X-Cal-Signature-256`. */
export function signBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Checks `X-Cal-Signature-256` against every configured secret (several during a rotation), in constant time.
 * An optional `sha256=` prefix is tolerated; an absent header or Cal.com's `no-secret-provided` is `missing`.
 */
export function verifySignature(rawBody: Buffer, header: string | undefined, secrets: string[]): SignatureCheck {
  const value = header
    ?.trim()
    .replace(/^sha256=/i, '')
    .toLowerCase();
  if (!value || value === NO_SECRET_SIGNATURE) return 'missing';
  if (!/^[0-9a-f]{64}$/.test(value)) return 'invalid';
  const given = Buffer.from(value, 'hex');
  let valid = false;
  // Every secret is checked (no early exit), so timing does not reveal which one matched.
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid ? 'valid' : 'invalid';
}
