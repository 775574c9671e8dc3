import { useOwnRedis, useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { type CalsyncProcess, startCalsync, TEST_SECRET } from './support/child-process.ts';
import { distinctBookings, postStream } from './support/deliveries.ts';
import { report, waitForOutcome } from './support/outcome.ts';

const env = useTestEnv();
const redis = useOwnRedis();
const DELIVERIES = 5_000;
const KILL_EVERY_MS = 1_000;

describe('chaos: the worker is SIGKILLed every second while deliveries flow', () => {
  it('ends with exactly one row per booking, none lost, none duplicated, every event processed', async () => {
    const services = { databaseUrl: env.databaseUrl, redisUrl: redis.url };
    const ingest = await startCalsync('ingest', services);
    const deliveries = distinctBookings(DELIVERIES, 10_000);
    let worker: CalsyncProcess | undefined;
    let kills = 0;
    let streaming = true;
    // Kill the worker a second after each start, restart it, until the stream has been sent.
    const killer = (async () => {
      while (streaming) {
        worker = await startCalsync('worker', services);
        await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
        await worker.kill();
        kills++;
      }
    })();
    const startedAt = Date.now();
    try {
      const stream = await postStream(`${ingest.url}/cal-webhook`, deliveries, TEST_SECRET, {
        concurrency: 16,
        perSecond: 500,
      });
      streaming = false;
      const streamSeconds = (Date.now() - startedAt) / 1_000;
      await killer;
      worker = await startCalsync('worker', services);
      const outcome = await waitForOutcome(
        env.sql,
        deliveries.map((d) => d.uid!),
        stream.acknowledged,
        90_000,
      );
      report('worker-kill', {
        sent: stream.sent,
        acknowledged: stream.acknowledged.length,
        kills,
        rows: outcome.rows,
        processed: outcome.processed,
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        stream_s: streamSeconds.toFixed(1),
        total_s: ((Date.now() - startedAt) / 1_000).toFixed(1),
      });
      expect(stream.acknowledged).toHaveLength(DELIVERIES);
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(outcome).toMatchObject({ rows: DELIVERIES, lost: 0, duplicated: 0, unstored: 0 });
      expect(outcome.processed).toBe(outcome.events);
      // The bookings lie in the past of the real clock, so the completion sweep may already have ended some.
      const [statuses] = await env.sql<Array<{ other: number }>>`
        select count(*)::int as other from cal_bookings where status not in ('scheduled', 'completed')`;
      expect(statuses!.other).toBe(0);
    } finally {
      streaming = false;
      await killer.catch(() => {});
      await worker?.stop();
      await ingest.stop();
    }
  });
});
