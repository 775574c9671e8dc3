import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { lifecycle } from '@calsync/cal-sim';
import { deliveryJob, openWebhookQueue } from '@calsync/jobs';
import {
  checkThenTerminate,
  freePort,
  sampleValue,
  scrapeMetrics,
  spawnNode,
  useOwnRedis,
  useTestEnv,
  waitForHttp,
  waitUntil,
} from '@calsync/test-support';
import { describe, expect, it } from 'vitest';

const env = useTestEnv();
const mainFile = fileURLToPath(new URL('./main.js', import.meta.url));
const METRICS_TOKEN = 'metrics-token-worker-0123456789';
// Its own redis-server: the worker alone uses the default key prefix, which other processes under test share.
const redis = useOwnRedis();

async function bookingRows(): Promise<number> {
  return (await env.sql<Array<{ n: number }>>`select count(*)::int as n from cal_bookings`)[0]!.n;
}

describe('pnpm --filter @calsync/worker start (src/main.js)', () => {
  it('applies deliveries alone, serves its own /metrics and health on METRICS_PORT, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const worker = spawnNode(mainFile, {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: redis.url,
      METRICS_PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_TOKEN,
      LOG_LEVEL: 'warn',
    });
    const queue = openWebhookQueue({ redisUrl: redis.url, prefix: 'calsync' });
    const exitCode = await checkThenTerminate(worker, async () => {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/readyz`, { timeoutMs: 20_000 });
      const { rawBody } = lifecycle('book', { seed: 43 })[0]!;
      const deliveryId = createHash('sha256').update(rawBody).digest('hex');
      await queue.addBulk([deliveryJob({ deliveryId, rawBody, receivedAt: new Date().toISOString() })]);
      await waitUntil('the booking row', bookingRows);
      expect(await bookingRows()).toBe(1);

      const metrics = await scrapeMetrics(base, METRICS_TOKEN);
      const processed = { trigger: 'BOOKING_CREATED', outcome: 'processed' };
      expect(sampleValue(metrics, 'calsync_webhook_deliveries_total', processed)).toBe(1);
    }).finally(() => queue.close());
    expect(exitCode, worker.output()).toBe(0);
  });
});
