import { fileURLToPath } from 'node:url';
import { lifecycle, signDelivery } from '@calsync/cal-sim';
import {
  checkThenTerminate,
  freePort,
  sampleValue,
  scrapeMetrics,
  spawnNode,
  useOwnRedis,
  useTestEnv,
  waitForHttp,
} from '@calsync/test-support';
import { describe, expect, it } from 'vitest';

const env = useTestEnv();
const mainFile = fileURLToPath(new URL('./main.js', import.meta.url));
const SECRET = 'whsec_ingest_main';
const METRICS_TOKEN = 'metrics-token-ingest-0123456789';
// Its own redis-server: ingest alone writes under the default key prefix, which other processes under test share.
const redis = useOwnRedis();

describe('pnpm --filter @calsync/ingest start (src/main.js)', () => {
  it('takes deliveries alone, serves its own /metrics to the METRICS_TOKEN, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const ingest = spawnNode(mainFile, {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: redis.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      CAL_WEBHOOK_SECRET: SECRET,
      METRICS_TOKEN,
      LOG_LEVEL: 'warn',
    });
    const exitCode = await checkThenTerminate(ingest, async () => {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/readyz`, { timeoutMs: 20_000 });
      const { rawBody } = lifecycle('book', { seed: 41 })[0]!;
      const posted = await fetch(`${base}/cal-webhook`, {
        method: 'POST',
        body: rawBody,
        headers: signDelivery(rawBody, SECRET),
      });
      expect(posted.status).toBe(202);

      const metrics = await scrapeMetrics(base, METRICS_TOKEN);
      const accepted = { trigger: 'BOOKING_CREATED', outcome: 'accepted' };
      expect(sampleValue(metrics, 'calsync_webhook_deliveries_total', accepted)).toBe(1);
      expect(sampleValue(metrics, 'calsync_ingest_duration_seconds_count', { status: '202' })).toBe(1);
    });
    expect(exitCode, ingest.output()).toBe(0);
  });

  it('refuses to start in production on a Redis that may lose acknowledged deliveries, unless told to accept it', async () => {
    const base = {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: redis.url, // a private redis-server without appendonly: volatile
      HOST: '127.0.0.1',
      CAL_WEBHOOK_SECRET: SECRET,
      NODE_ENV: 'production',
    };
    const refused = spawnNode(mainFile, { ...base, PORT: String(await freePort()) });
    expect(await refused.exited, refused.output()).toBe(1);
    expect(refused.output()).toMatch(/appendonly yes.*ALLOW_VOLATILE_REDIS=true/s);

    const port = await freePort();
    const accepted = spawnNode(mainFile, { ...base, PORT: String(port), ALLOW_VOLATILE_REDIS: 'true' });
    const exitCode = await checkThenTerminate(accepted, async () => {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 20_000 });
    });
    expect(exitCode, accepted.output()).toBe(0);
  });
});
