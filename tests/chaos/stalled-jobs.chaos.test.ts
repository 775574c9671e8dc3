import { useOwnRedis, useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { startCalsync } from './support/child-process.ts';
import { distinctBookings } from './support/deliveries.ts';
import { deliveryId } from './support/delivery-ids.ts';
import { report, waitForOutcome } from './support/outcome.ts';
import { enqueueWithoutRows, stallEveryJob } from './support/stalling-worker.ts';
import { storeThroughIngest } from './support/store-through-ingest.ts';

const env = useTestEnv();
const redis = useOwnRedis();
const WITH_ROWS = 60;
const WITHOUT_ROWS = 20;

describe('chaos: every delivery job stalls more than 20 times before any worker finishes it', () => {
  it('still ends with every delivery applied: rows still `received` and jobs that never got a row', async () => {
    const services = { databaseUrl: env.databaseUrl, redisUrl: redis.url };
    const startedAt = Date.now();
    const stored = distinctBookings(WITH_ROWS, 40_000);
    const stream = await storeThroughIngest(services, stored, 8);
    // Acknowledged by Redis alone (PostgreSQL refused the rows at ingest).
    const rowless = distinctBookings(WITHOUT_ROWS, 40_100);
    await enqueueWithoutRows(
      redis.url,
      rowless.map((d) => ({ id: deliveryId(d), rawBody: d.rawBody })),
    );

    await stallEveryJob(redis.url, WITH_ROWS + WITHOUT_ROWS, 90_000);
    const stalledAt = Date.now();
    const [received] = await env.sql<Array<{ n: number }>>`
      select count(*)::int as n from cal_webhook_events where status = 'received'`;
    expect(received!.n).toBe(WITH_ROWS);

    const worker = await startCalsync('worker', services);
    try {
      const outcome = await waitForOutcome(
        env.sql,
        [...stored, ...rowless].map((d) => d.uid!),
        [...stream.acknowledged, ...rowless.map(deliveryId)],
        60_000,
      );
      report('stalled-jobs', {
        jobs: WITH_ROWS + WITHOUT_ROWS,
        stalls_each: 21,
        rows: outcome.rows,
        processed: outcome.processed,
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        recovery_s: ((Date.now() - stalledAt) / 1_000).toFixed(1),
        total_s: ((Date.now() - startedAt) / 1_000).toFixed(1),
      });
      expect(stream.acknowledged).toHaveLength(WITH_ROWS);
      expect(outcome, worker.output().slice(-4_000)).toMatchObject({
        rows: WITH_ROWS + WITHOUT_ROWS,
        lost: 0,
        duplicated: 0,
        unstored: 0,
      });
      expect(outcome.processed).toBe(outcome.events);
    } finally {
      await worker.stop();
    }
  });
});
