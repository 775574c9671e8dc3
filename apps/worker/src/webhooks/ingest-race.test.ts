import { createHash } from 'node:crypto';
import { readEnvelope } from '@calsync/cal-client';
import { lifecycle } from '@calsync/cal-sim';
import { durableStores, nextReceivedAt, type PendingDelivery } from '@calsync/ingest';
import { openWebhookQueue, type WebhookQueue } from '@calsync/jobs';
import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDelivery } from './apply-delivery.ts';

// Ingest acknowledges at the first store (usually Redis), so the worker can take the job and store the event row
// before ingest's own INSERT reaches PostgreSQL. That late INSERT must neither add a row nor call the delivery a
// duplicate; a real second copy must still be one.

const env = useTestEnv();
let queue: WebhookQueue;
beforeAll(() => {
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => await queue?.close());

function pending(seed: number): PendingDelivery {
  const [created] = lifecycle('book', { seed });
  const rawBody = created!.rawBody;
  const id = createHash('sha256').update(rawBody).digest('hex');
  return { id, rawBody, ...readEnvelope(JSON.parse(rawBody)), receivedAt: nextReceivedAt() };
}

const eventRows = (id: string) =>
  env.sql<Array<{ status: string; attempts: number; received_at: string }>>`
    select status, attempts, received_at::text from cal_webhook_events where id = ${id}`;

describe("ingest's INSERT after the worker stored the row from the job", () => {
  it('is not a duplicate and adds no row; a later copy is a duplicate in both stores', async () => {
    const stores = durableStores(env.db, queue, env.redisPrefix);
    const delivery = pending(71);
    expect(await stores.enqueue([delivery])).toEqual(new Set([delivery.id]));

    // What the worker does with that job: store the row from it, apply, mark processed.
    const job = await queue.getJob(delivery.id);
    expect(await applyDelivery(env.db, job!.data)).toMatchObject({ status: 'processed' });

    expect(await stores.insertRows([delivery])).toEqual(new Set([delivery.id]));
    const rows = await eventRows(delivery.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'processed', attempts: 1 });

    const copy = { ...delivery, receivedAt: nextReceivedAt() };
    expect(await stores.insertRows([copy])).toEqual(new Set());
    expect(await stores.enqueue([copy])).toEqual(new Set());
    expect(await eventRows(delivery.id)).toEqual(rows);
  });
});
