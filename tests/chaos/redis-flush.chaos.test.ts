import { useOwnRedis, useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { startCalsync, TEST_SECRET } from './support/child-process.ts';
import { distinctBookings, postStream } from './support/deliveries.ts';
import { report, sweptFromLog, waitForOutcome } from './support/outcome.ts';

const env = useTestEnv();
const redis = useOwnRedis();
const DELIVERIES = 3_000;

describe('chaos: Redis loses everything (FLUSHALL) in the middle of a stream', () => {
  it('still lands every acknowledged delivery, recovered from PostgreSQL by the sweeper', async () => {
    const server = await startCalsync('server', { databaseUrl: env.databaseUrl, redisUrl: redis.url });
    const deliveries = distinctBookings(DELIVERIES, 20_000);
    const startedAt = Date.now();
    let flushed = false;
    try {
      const stream = await postStream(`${server.url}/cal-webhook`, deliveries, TEST_SECRET, {
        // As fast as ingest takes them, so that the queue holds a backlog when Redis loses it.
        concurrency: 64,
        onProgress: (sent) => {
          if (!flushed && sent >= DELIVERIES / 2) {
            flushed = true;
            void redis.flushAll();
          }
        },
      });
      const outcome = await waitForOutcome(
        env.sql,
        deliveries.map((d) => d.uid!),
        stream.acknowledged,
        60_000,
      );
      report('redis-flushall', {
        sent: stream.sent,
        acknowledged: stream.acknowledged.length,
        rows: outcome.rows,
        processed: outcome.processed,
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        swept: sweptFromLog(server.output()),
        total_s: ((Date.now() - startedAt) / 1_000).toFixed(1),
      });
      expect(flushed).toBe(true);
      // The flush destroyed queued jobs that only the sweeper (rescheduled after the flush) brought back.
      expect(sweptFromLog(server.output())).toBeGreaterThan(0);
      expect(Object.fromEntries(stream.refused), server.output().slice(-4_000)).toEqual({});
      expect(stream.acknowledged).toHaveLength(DELIVERIES);
      expect(outcome).toMatchObject({ rows: DELIVERIES, lost: 0, duplicated: 0, unstored: 0 });
      expect(outcome.processed).toBe(outcome.events);
    } finally {
      await server.stop();
    }
  });
});
