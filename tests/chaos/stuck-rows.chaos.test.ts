import { useOwnRedis, useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { startCalsync } from './support/child-process.ts';
import { distinctBookings } from './support/deliveries.ts';
import { report, sweptFromLog, waitForOutcome } from './support/outcome.ts';
import { failEveryJob } from './support/stalling-worker.ts';
import { storeThroughIngest } from './support/store-through-ingest.ts';

const env = useTestEnv();
const redis = useOwnRedis();
// More than one sweep takes (500): the rows past the first batch must get their turn too.
const STUCK = 600;

describe('chaos: 600 deliveries stored as `received` whose jobs already failed', () => {
  it('are all swept, applied, none lost, none duplicated', async () => {
    const services = { databaseUrl: env.databaseUrl, redisUrl: redis.url };
    const startedAt = Date.now();
    const deliveries = distinctBookings(STUCK, 50_000);
    const stream = await storeThroughIngest(services, deliveries, 16);
    await failEveryJob(redis.url, STUCK, 60_000);
    const failedAt = Date.now();

    const worker = await startCalsync('worker', services);
    try {
      const outcome = await waitForOutcome(
        env.sql,
        deliveries.map((d) => d.uid!),
        stream.acknowledged,
        60_000,
      );
      report('stuck-rows', {
        stuck: STUCK,
        swept: sweptFromLog(worker.output()),
        rows: outcome.rows,
        processed: outcome.processed,
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        recovery_s: ((Date.now() - failedAt) / 1_000).toFixed(1),
        total_s: ((Date.now() - startedAt) / 1_000).toFixed(1),
      });
      expect(stream.acknowledged).toHaveLength(STUCK);
      expect(outcome, worker.output().slice(-4_000)).toMatchObject({
        rows: STUCK,
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
