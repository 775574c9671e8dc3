import { createHmac } from 'node:crypto';
import { request } from 'undici';
import type { Delivery } from './types.ts';

/**
 * The headers Cal.com sends with a delivery: the lowercase hex HMAC-SHA256 of the exact raw body keyed with
 * the secret (no prefix, no timestamp), or the literal `no-secret-provided` when the webhook has no secret.
 */
export function signDelivery(
  rawBody: string,
  secret: string | null,
  contentType = 'application/json',
): Record<string, string> {
  const signature = secret === null ? 'no-secret-provided' : createHmac('sha256', secret).update(rawBody).digest('hex');
  return {
    'content-type': contentType,
    'x-cal-signature-256': signature,
    'x-cal-webhook-version': '2021-10-20',
  };
}

/**
 * POSTs one delivery once, as Cal.com does: no retries, redirects not followed. Resolves with the receiver's
 * answer whatever its status; rejects only when the connection fails.
 */
export async function sendDelivery(
  targetUrl: string,
  delivery: Pick<Delivery, 'rawBody' | 'contentType'>,
  secret: string | null,
): Promise<{ status: number; body: string }> {
  const response = await request(targetUrl, {
    method: 'POST',
    headers: signDelivery(delivery.rawBody, secret, delivery.contentType),
    body: delivery.rawBody,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  return { status: response.statusCode, body: await response.body.text() };
}

/**
 * Sends `deliveries` in order, one at a time, waiting each one's `delayMs` first (see `perturbStream`).
 * Returns every answer in the same order.
 */
export async function sendStream(
  targetUrl: string,
  deliveries: readonly Delivery[],
  secret: string | null,
): Promise<Array<{ status: number; body: string }>> {
  const answers: Array<{ status: number; body: string }> = [];
  for (const delivery of deliveries) {
    if (delivery.delayMs) await new Promise((resolve) => setTimeout(resolve, delivery.delayMs));
    answers.push(await sendDelivery(targetUrl, delivery, secret));
  }
  return answers;
}
