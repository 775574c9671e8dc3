import type { AddressInfo } from 'node:net';
import { lifecycle, sendDelivery } from '@calsync/cal-sim';
import { deliverySeenKey, openWebhookQueue } from '@calsync/jobs';
import { buildBaseApp, createResources } from '@calsync/service-kit';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ingestPlugin } from './plugin.ts';
import { DELIVERY_SEEN_TTL_S } from './stores.ts';

const env = useTestEnv();
const SECRET = 'whsec_acknowledge';

async function startIngest() {
  const resources = createResources({
    databaseUrl: env.databaseUrl,
    redisUrl: env.redisUrl,
    redisPrefix: env.redisPrefix,
  });
  const app = await buildBaseApp({ logger: pino({ level: 'silent' }), resources });
  // PostgreSQL must not count as failed while the test blocks it: the 202 has to come from Redis answering first,
  // not from a PostgreSQL timeout.
  await app.register(ingestPlugin, {
    env: { CAL_WEBHOOK_SECRET: [SECRET], CAL_WEBHOOK_ALLOW_UNSIGNED: false },
    storeTimeoutMs: 120_000,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/cal-webhook`,
    close: async () => {
      await app.close();
      await resources.close();
    },
  };
}

const rowCount = async (id: string) =>
  (await env.sql<Array<{ n: number }>>`select count(*)::int as n from cal_webhook_events where id = ${id}`)[0]!.n;

describe('ingest acknowledges at the first durable store', () => {
  it('answers 202 from Redis while PostgreSQL is blocked, with Redis deciding duplicate; the row lands after', async () => {
    const ingest = await startIngest();
    const queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
    const [created] = lifecycle('book', { seed: 61 });
    try {
      let id = '';
      // A real slow PostgreSQL: a SHARE lock on the table makes every INSERT wait until this transaction ends.
      await env.sql.begin(async (tx) => {
        await tx`lock table cal_webhook_events in share mode`;
        const first = await sendDelivery(ingest.url, created!, SECRET);
        const second = await sendDelivery(ingest.url, created!, SECRET);
        expect(first.status, first.body).toBe(202);
        id = JSON.parse(first.body).id;
        expect(JSON.parse(first.body)).toEqual({ received: true, id, duplicate: false });
        expect(JSON.parse(second.body)).toEqual({ received: true, id, duplicate: true });
        const [{ n }] = (await tx`select count(*)::int as n from cal_webhook_events where id = ${id}`) as unknown as [
          { n: number },
        ];
        expect(n).toBe(0);
        const job = await queue.getJob(id);
        expect(job?.data).toMatchObject({ deliveryId: id, rawBody: created!.rawBody });
        const ttl = await env.redis.ttl(deliverySeenKey(env.redisPrefix, id));
        expect(ttl).toBeGreaterThan(DELIVERY_SEEN_TTL_S - 60);
        expect(ttl).toBeLessThanOrEqual(DELIVERY_SEEN_TTL_S);
      });
      // The lock is gone: both blocked inserts run, and they make exactly one row.
      expect(
        await waitUntil(
          'the delivery row in PostgreSQL',
          () => rowCount(id),
          (n) => n > 0,
        ),
      ).toBe(1);
      const [row] = await env.sql<Array<{ status: string; raw_body: string }>>`
        select status, raw_body from cal_webhook_events where id = ${id}`;
      expect(row).toEqual({ status: 'received', raw_body: created!.rawBody });
    } finally {
      await queue.close();
      await ingest.close();
    }
  });
});
