import { outboundDeliveriesTotal } from '@calsync/service-kit';
import type { Logger } from 'pino';
import type { ClaimedDelivery } from './claim.ts';
import { postWebhook } from './post-webhook.ts';
import type { Outcome } from './record.ts';
import type { Recorder } from './recorder.ts';
import { signedHeaders } from './signing.ts';

export interface SendSettings {
  timeoutMs: number;
  allowPrivate: boolean;
  pauseAfterMs: number;
}

/** Signs, POSTs and records one claimed delivery. */
export async function sendOne(
  deps: { log: Logger; now: () => Date; settings: SendSettings; recorder: Recorder },
  delivery: ClaimedDelivery,
): Promise<Outcome> {
  const { log, now, settings, recorder } = deps;
  const startedAt = now();
  const started = performance.now();
  const result = delivery.change
    ? await post(delivery, delivery.change, settings)
    : { error: 'the Change is gone (older than the change feed keeps)' };
  const outcome = await recorder.record({
    delivery,
    result,
    startedAt,
    durationMs: Math.round(performance.now() - started),
  });
  outboundDeliveriesTotal.inc({ endpoint: delivery.endpoint_id, outcome });
  if (outcome === 'retry' || outcome === 'failed') {
    log[outcome === 'failed' ? 'error' : 'warn'](
      { deliveryId: delivery.id, endpointId: delivery.endpoint_id, attempt: delivery.attempts, error: result.error },
      outcome === 'failed' ? 'outbound webhook failed for good' : 'outbound webhook failed, will retry',
    );
  }
  return outcome;
}

function post(delivery: ClaimedDelivery, change: Record<string, unknown>, settings: SendSettings) {
  const body = JSON.stringify(change);
  // The signature's timestamp is the real time of sending: receivers reject messages whose timestamp is far off.
  const headers = signedHeaders(delivery.secrets, `msg_${delivery.id}`, new Date(), body);
  return postWebhook(delivery.url, headers, body, settings);
}
