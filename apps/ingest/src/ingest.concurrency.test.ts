import type { AddressInfo } from 'node:net';
import { lifecycle, sendDelivery } from '@calsync/cal-sim';
import { openWebhookQueue } from '@calsync/jobs';
import { buildBaseApp, createResources } from '@calsync/service-kit';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ingestPlugin } from './plugin.ts';

const env = useTestEnv();
const SECRET = 'whsec_concurrency';

describe('ingest under concurrent deliveries (group commit)', () => {
  it('stores every delivery once in PostgreSQL and once in the queue, duplicates flagged', async () => {
    const resources = createResources({
      databaseUrl: env.databaseUrl,
      redisUrl: env.redisUrl,
      redisPrefix: env.redisPrefix,
    });
    const app = await buildBaseApp({ logger: pino({ level: 'silent' }), resources });
    await app.register(ingestPlugin, { env: { CAL_WEBHOOK_SECRET: [SECRET], CAL_WEBHOOK_ALLOW_UNSIGNED: false } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/cal-webhook`;
    const queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
    try {
      const distinct = Array.from({ length: 64 }, (_, i) => lifecycle('book', { seed: 1_000 + i })[0]!);
      const repeated = lifecycle('cancel', { seed: 7 })[1]!;
      const answers = await Promise.all([
        ...distinct.map((d) => sendDelivery(url, d, SECRET)),
        ...Array.from({ length: 5 }, () => sendDelivery(url, repeated, SECRET)),
      ]);
      expect(answers.every((a) => a.status === 202)).toBe(true);
      const bodies = answers.map((a) => JSON.parse(a.body) as { duplicate: boolean });
      expect(bodies.slice(0, 64).every((b) => !b.duplicate)).toBe(true);
      expect(bodies.slice(64).filter((b) => !b.duplicate)).toHaveLength(1);

      // Durable in at least one store at 202; every row reaches PostgreSQL soon after, and never a second one.
      const countRows = async () =>
        (
          (await env.db.execute(sql`select count(*)::int as n from cal_webhook_events`)) as unknown as Array<{
            n: number;
          }>
        )[0]!.n;
      expect(await waitUntil('65 delivery rows', countRows, (n) => n >= 65)).toBe(65);
      const countJobs = async () =>
        Object.values(
          await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'),
        ).reduce((a, b) => a + b, 0);
      expect(await waitUntil('65 jobs', countJobs, (n) => n >= 65)).toBe(65);
    } finally {
      await queue.close();
      await app.close();
      await resources.close();
    }
  });
});
