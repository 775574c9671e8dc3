import { createHash } from 'node:crypto';
import { useOwnRedis, useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { type CalsyncProcess, startCalsync, TEST_SECRET } from './support/child-process.ts';
import { distinctBookings, postStream } from './support/deliveries.ts';
import { report, waitForOutcome } from './support/outcome.ts';

const env = useTestEnv();
const redis = useOwnRedis();
const DELIVERIES = 6_000;
const KILL_AFTER = 2_000;

describe('chaos: ingest is SIGKILLed under load', () => {
  it('has every delivery that got a 202 in the database afterwards', async () => {
    const services = { databaseUrl: env.databaseUrl, redisUrl: redis.url };
    const ingest = await startCalsync('ingest', services);
    const deliveries = distinctBookings(DELIVERIES, 40_000);
    const uidById = new Map(deliveries.map((d) => [createHash('sha256').update(d.rawBody).digest('hex'), d.uid!]));
    let killed: Promise<void> | undefined;
    let worker: CalsyncProcess | undefined;
    try {
      // As fast as ingest takes them, 64 at a time; SIGKILL once KILL_AFTER have been sent.
      const stream = await postStream(`${ingest.url}/cal-webhook`, deliveries, TEST_SECRET, {
        concurrency: 64,
        onProgress: (sent) => {
          if (!killed && sent >= KILL_AFTER) killed = ingest.kill();
        },
      });
      await killed;
      worker = await startCalsync('worker', services);
      const acknowledgedUids = stream.acknowledged.map((id) => uidById.get(id)!);
      const outcome = await waitForOutcome(env.sql, acknowledgedUids, stream.acknowledged, 60_000);
      report('ingest-kill', {
        sent: stream.sent,
        acknowledged: stream.acknowledged.length,
        refused_after_kill: [...stream.refused.values()].reduce((a, b) => a + b, 0),
        stored: outcome.events,
        rows: outcome.rows,
        lost: outcome.lost + outcome.unstored,
        duplicated: outcome.duplicated,
      });
      expect(stream.acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER - 64);
      expect(stream.acknowledged.length).toBeLessThan(DELIVERIES);
      expect(outcome).toMatchObject({ lost: 0, unstored: 0, duplicated: 0 });
      expect(outcome.processed).toBe(outcome.events);
    } finally {
      await ingest.kill();
      await worker?.stop();
    }
  });
});
