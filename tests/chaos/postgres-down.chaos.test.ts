import { describe, expect, it } from 'vitest';
import { startCalsync, TEST_SECRET } from './support/child-process.ts';
import { distinctBookings, postStream } from './support/deliveries.ts';
import { report, waitForOutcome } from './support/outcome.ts';
import { useOwnPostgresAndRedis } from './support/own-postgres-and-redis.ts';

const DELIVERIES = 3_000;

const own = useOwnPostgresAndRedis();

describe('chaos: PostgreSQL goes away in the middle of a stream, then comes back', () => {
  it('keeps answering 202 while it is down, and lands every row after it returns', async () => {
    const databaseUrl = own.databaseUrl;
    const server = await startCalsync('server', { databaseUrl, redisUrl: own.redis.url }); // creates and migrates it
    const sql = own.openSql();
    const deliveries = distinctBookings(DELIVERIES, 30_000);
    const startedAt = Date.now();
    let outage: Promise<void> | undefined;
    let downFor = 0;
    let acknowledgedBeforeDown = 0;
    try {
      const stream = await postStream(`${server.url}/cal-webhook`, deliveries, TEST_SECRET, {
        concurrency: 16,
        perSecond: 300,
        onProgress: (sent) => {
          if (outage || sent < DELIVERIES / 3) return;
          acknowledgedBeforeDown = sent;
          // Down for about a third of the stream (~3 s), while deliveries keep coming.
          outage = (async () => {
            await own.postgres.stop();
            const downAt = Date.now();
            await new Promise((resolve) => setTimeout(resolve, 3_000));
            await own.postgres.start();
            downFor = Date.now() - downAt;
          })();
        },
      });
      await outage;
      const outcome = await waitForOutcome(
        sql,
        deliveries.map((d) => d.uid!),
        stream.acknowledged,
        60_000,
      );
      report('postgres-down', {
        sent: stream.sent,
        acknowledged: stream.acknowledged.length,
        down_s: (downFor / 1_000).toFixed(1),
        sent_before_down: acknowledgedBeforeDown,
        rows: outcome.rows,
        processed: outcome.processed,
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        total_s: ((Date.now() - startedAt) / 1_000).toFixed(1),
      });
      expect(downFor).toBeGreaterThan(2_000);
      expect(Object.fromEntries(stream.refused), server.output().slice(-4_000)).toEqual({});
      expect(stream.acknowledged).toHaveLength(DELIVERIES);
      expect(outcome).toMatchObject({ rows: DELIVERIES, lost: 0, duplicated: 0, unstored: 0 });
      expect(outcome.processed).toBe(outcome.events);
    } finally {
      const code = await server.stop();
      expect(code, server.output().slice(-6_000)).toBe(0);
    }
  });
});
