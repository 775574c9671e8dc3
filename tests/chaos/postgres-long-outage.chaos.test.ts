import { describe, expect, it } from 'vitest';
import { startCalsync, TEST_SECRET } from './support/child-process.ts';
import { distinctBookings, postStream } from './support/deliveries.ts';
import { report, waitForOutcome } from './support/outcome.ts';
import { useOwnPostgresAndRedis } from './support/own-postgres-and-redis.ts';

// Longer than the 127 s that the 8 tries of the former retry policy lasted: a delivery Redis alone acknowledged
// used to end in BullMQ's failed set with no row. CHAOS_PG_OUTAGE_S shortens it for a quick local run.
const OUTAGE_S = Number(process.env.CHAOS_PG_OUTAGE_S ?? 180);
// The worker's longest wait between tries; it bounds how long after PostgreSQL's return the last job notices.
const RETRY_MAX_DELAY = process.env.CHAOS_RETRY_MAX_DELAY ?? '10s';
const PER_SECOND = 25;
// The flood runs from a few seconds before the outage to a few seconds after it.
const DELIVERIES = PER_SECOND * (OUTAGE_S + 10);
const DOWN_AFTER = PER_SECOND * 5;

const own = useOwnPostgresAndRedis();

describe(`chaos: PostgreSQL is down for ${OUTAGE_S} s under a flood that Redis alone acknowledges`, () => {
  it('loses nothing: every acknowledged delivery becomes a row and its booking, none twice', {
    timeout: (OUTAGE_S + 150) * 1_000,
  }, async () => {
    const databaseUrl = own.databaseUrl;
    const server = await startCalsync('server', {
      databaseUrl,
      redisUrl: own.redis.url,
      extraEnv: { DELIVERY_RETRY_MAX_DELAY: RETRY_MAX_DELAY },
    });
    const sql = own.openSql();
    const deliveries = distinctBookings(DELIVERIES, 60_000);
    const startedAt = Date.now();
    let outage: Promise<void> | undefined;
    let downFor = 0;
    let upAt = 0;
    try {
      const stream = await postStream(`${server.url}/cal-webhook`, deliveries, TEST_SECRET, {
        concurrency: 8,
        perSecond: PER_SECOND,
        onProgress: (sent) => {
          if (outage || sent < DOWN_AFTER) return;
          outage = (async () => {
            await own.postgres.stop();
            const downAt = Date.now();
            await new Promise((resolve) => setTimeout(resolve, OUTAGE_S * 1_000));
            await own.postgres.start();
            upAt = Date.now();
            downFor = upAt - downAt;
          })();
        },
      });
      await outage;
      const outcome = await waitForOutcome(
        sql,
        deliveries.map((d) => d.uid!),
        stream.acknowledged,
        120_000,
      );
      report('postgres-long-outage', {
        sent: stream.sent,
        acknowledged: stream.acknowledged.length,
        down_s: (downFor / 1_000).toFixed(1),
        retry_max_delay: RETRY_MAX_DELAY,
        rows: outcome.rows,
        processed: outcome.processed,
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        recovery_s: ((Date.now() - upAt) / 1_000).toFixed(1),
        total_s: ((Date.now() - startedAt) / 1_000).toFixed(1),
      });
      expect(downFor).toBeGreaterThanOrEqual(OUTAGE_S * 1_000);
      expect(Object.fromEntries(stream.refused), server.output().slice(-4_000)).toEqual({});
      expect(stream.acknowledged).toHaveLength(DELIVERIES);
      expect(outcome, server.output().slice(-4_000)).toMatchObject({
        rows: DELIVERIES,
        lost: 0,
        duplicated: 0,
        unstored: 0,
      });
      expect(outcome.processed).toBe(outcome.events);
    } finally {
      const code = await server.stop();
      expect(code, server.output().slice(-6_000)).toBe(0);
    }
  });
});
