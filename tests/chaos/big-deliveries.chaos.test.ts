import { peakRssMb, useOwnRedis, useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { type CalsyncProcess, startCalsync, TEST_SECRET } from './support/child-process.ts';
import { distinctBookings, postStream } from './support/deliveries.ts';
import { report, waitForOutcome } from './support/outcome.ts';

const env = useTestEnv();
const redis = useOwnRedis();
const DELIVERIES = 384;
/** Just under the most ingest accepts (1 MiB). */
const BODY_BYTES = 1_040_000;

/** A BOOKING_CREATED whose description fills the body up to BODY_BYTES. */
function bigDelivery(delivery: ReturnType<typeof distinctBookings>[number]) {
  const body = JSON.parse(delivery.rawBody) as { payload: Record<string, unknown> };
  body.payload.description = 'x'.repeat(BODY_BYTES - delivery.rawBody.length);
  return { ...delivery, rawBody: JSON.stringify(body) };
}

describe('chaos: the largest deliveries ingest accepts, queued while the worker was down', () => {
  it('are applied in full by a worker started as its start script starts it, within its heap', async () => {
    // A worker starting on a full queue takes 128 deliveries at once, each in memory several times over (the job,
    // its parsed body, the row's values). With a 256 MB heap it ran out of memory here, and a restarted worker would
    // take the same jobs again.
    const services = { databaseUrl: env.databaseUrl, redisUrl: redis.url };
    const deliveries = distinctBookings(DELIVERIES, 40_000).map(bigDelivery);
    const ingest = await startCalsync('ingest', services);
    let worker: CalsyncProcess | undefined;
    try {
      const stream = await postStream(`${ingest.url}/cal-webhook`, deliveries, TEST_SECRET, { concurrency: 8 });
      worker = await startCalsync('worker', services);
      const outcome = await waitForOutcome(
        env.sql,
        deliveries.map((d) => d.uid!),
        stream.acknowledged,
        120_000,
      );
      report('big-deliveries', {
        sent: stream.sent,
        body_bytes: BODY_BYTES,
        acknowledged: stream.acknowledged.length,
        processed: outcome.processed,
        lost: outcome.lost,
        worker_peak_rss_mb: peakRssMb(worker.child.pid),
      });
      // Running out of heap ends the process with SIGABRT: no exit code, a signal.
      const { exitCode, signalCode } = worker.child;
      expect({ exitCode, signalCode }, worker.output().slice(-2_000)).toEqual({ exitCode: null, signalCode: null });
      expect(stream.acknowledged).toHaveLength(DELIVERIES);
      expect(outcome).toMatchObject({ rows: DELIVERIES, lost: 0, duplicated: 0, unstored: 0 });
      expect(outcome.processed).toBe(DELIVERIES);
    } finally {
      await worker?.stop();
      await ingest.stop();
    }
  }, 180_000);
});
