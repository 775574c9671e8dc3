import { verifySignature } from '@calsync/cal-client/webhooks';
import { openWebhookQueue } from '@calsync/jobs';
import { HttpError, ingestLatency, recordDelivery } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DeliveryBatcher } from './delivery-batcher.ts';
import type { IngestEnv } from './env.ts';
import { readDelivery } from './read-delivery.ts';
import { nextReceivedAt } from './received-clock.ts';
import { durableStores } from './stores.ts';

export interface IngestOptions {
  env: Pick<IngestEnv, 'CAL_WEBHOOK_SECRET' | 'CAL_WEBHOOK_ALLOW_UNSIGNED'>;
  /** Each store's time limit per batch before it counts as failed (default 2 s). */
  storeTimeoutMs?: number;
}

/** Cal.com deliveries are small; anything above this is refused with 413. */
export const MAX_DELIVERY_BYTES = 1_048_576;

/**
 * POST /cal-webhook and /functions/v1/cal-webhook: verify, store durably (PostgreSQL and BullMQ, group-committed),
 * answer 202 as soon as one of the two took the delivery. A correctly signed body is stored whatever its shape. Encapsulated: its raw-body parser applies to these routes
 * only. Needs `resourcesPlugin` first.
 */
export async function ingestPlugin(app: FastifyInstance, options: IngestOptions) {
  const secrets = options.env.CAL_WEBHOOK_SECRET ?? [];
  const allowUnsigned = secrets.length === 0 && options.env.CAL_WEBHOOK_ALLOW_UNSIGNED;
  if (secrets.length === 0) {
    app.log.warn(
      allowUnsigned
        ? 'CAL_WEBHOOK_SECRET is not set and CAL_WEBHOOK_ALLOW_UNSIGNED=true: accepting UNSIGNED webhook deliveries (local experiments only)'
        : 'CAL_WEBHOOK_SECRET is not set: every webhook delivery is refused with 503. Set CAL_WEBHOOK_SECRET to the secret of your Cal.com webhook (Settings → Developer → Webhooks; comma-separate several to rotate)',
    );
  }

  const { db, redisUrl, redisPrefix } = app.resources;
  const queue = openWebhookQueue({ redisUrl, prefix: redisPrefix, failFast: true });
  const batcher = new DeliveryBatcher(durableStores(db, queue, redisPrefix), {
    storeTimeoutMs: options.storeTimeoutMs,
    onStoreError: (store, err, size) => app.log.warn({ err, store, size }, `webhook store ${store} refused a batch`),
  });
  app.addHook('onClose', async () => {
    await batcher.drain();
    await queue.close();
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_DELIVERY_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  async function receive(request: FastifyRequest, reply: FastifyReply) {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (secrets.length === 0 && !allowUnsigned) {
      throw new HttpError('webhook_secret_not_configured', 'CAL_WEBHOOK_SECRET is not configured on this server');
    }
    if (secrets.length > 0) {
      const header = request.headers['x-cal-signature-256'];
      const check = verifySignature(raw, Array.isArray(header) ? header[0] : header, secrets);
      if (check === 'missing') throw new HttpError('missing_signature', 'X-Cal-Signature-256 header is missing');
      if (check === 'invalid') throw new HttpError('invalid_signature', 'X-Cal-Signature-256 does not match the body');
    }
    const { id, rawBody, bodyEncoding, summary, notJson } = readDelivery(raw);
    // Unsigned, nothing vouches for the sender: only JSON is taken. Signed, everything is (a custom template may
    // send anything, and Cal.com will not send it again).
    if (secrets.length === 0 && notJson) throw new HttpError('invalid_json', notJson);
    const { triggerEvent, bookingUid, sentAt } = summary;
    const delivery = { id, rawBody, bodyEncoding, triggerEvent, bookingUid, sentAt, receivedAt: nextReceivedAt() };
    const fate = await batcher.submit(delivery);
    if (!fate.stored) {
      request.log.error({ deliveryId: id, reason: fate.reason }, 'no durable store took the delivery');
      throw new HttpError('service_unavailable', 'the delivery could not be stored; please retry');
    }
    recordDelivery(summary.triggerEvent, fate.duplicate ? 'duplicate' : 'accepted');
    return reply.code(202).send({ received: true, id, duplicate: fate.duplicate });
  }

  // Request metrics (encapsulated: only this plugin's webhook routes are timed)
  app.addHook('onResponse', async (_request, reply) => {
    ingestLatency.observe({ status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.post('/cal-webhook', receive);
  app.post('/functions/v1/cal-webhook', receive);
}
