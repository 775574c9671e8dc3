import { type OwnRedis, waitUntil } from '@calsync/test-support';
import { Agent, request } from 'undici';
import { round } from './ingest.ts';
import { BENCH_ADMIN_TOKEN, startChild } from './support/children.ts';
import { signedDeliveries } from './support/deliveries.ts';
import { postAll, quantile } from './support/post.ts';
import { freshDatabase } from './support/services.ts';

const RATE = 200;
const SECONDS = 10;
// The first seconds after the process starts (cold JIT, the API and the worker finishing their start) are timed and
// shown apart, as the ingest part does: the goal is the steady path.
const WARM_UP_S = 2;

export interface LiveResult {
  rate: number;
  deliveries: number;
  sse_p50_ms: number;
  sse_p99_ms: number;
  /** The same lag for the WARM_UP_S seconds of deliveries sent first, right after the process started. */
  warm_up_p99_ms?: number;
}

/**
 * The live dashboard's path in the all-in-one process: deliveries at a steady 200/s (after a warm-up timed apart),
 * each timed from its 202 to the arrival of its booking's Change on `GET /admin/api/changes/stream` (webhook → worker
 * → row + Change → NOTIFY → stream).
 */
export async function benchLive(redis: OwnRedis): Promise<LiveResult> {
  // Their own seeds: these bookings are new to the database, whatever other parts sent.
  const deliveries = signedDeliveries(RATE * (WARM_UP_S + SECONDS), 5_000_000);
  const uids = deliveries.map((d) => (JSON.parse(d.body) as { payload: { uid: string } }).payload.uid);
  const databaseUrl = await freshDatabase();
  await redis.flushAll();
  const server = await startChild('server', { DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
  const dispatcher = new Agent({ connections: 32 });
  const arrived = new Map<string, number>();
  const stream = new AbortController();
  try {
    const answer = await request(`${server.url}/admin/api/changes/stream`, {
      dispatcher,
      headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, accept: 'text/event-stream' },
      signal: stream.signal,
    });
    if (answer.statusCode !== 200) throw new Error(`the change stream answered ${answer.statusCode}`);
    const reading = readEvents(answer.body, (change) => {
      const uid = change.booking?.uid;
      if (uid && !arrived.has(uid)) arrived.set(uid, performance.now());
    }).catch(() => {});

    const startedAt = performance.now();
    const latencies = await postAll(dispatcher, `${server.url}/cal-webhook`, deliveries, {
      lanes: 16,
      perSecond: RATE,
    });
    const acknowledged = latencies.map((latency, i) => startedAt + (i * 1_000) / RATE + latency);
    await waitUntil(
      `${uids.length} Changes on the stream`,
      () => arrived.size,
      () => uids.every((uid) => arrived.has(uid)),
      { timeoutMs: 30_000 },
    );
    stream.abort();
    await reading;
    const lags = uids.map((uid, i) => arrived.get(uid)! - acknowledged[i]!);
    const warmUp = lags.slice(0, RATE * WARM_UP_S);
    const steady = lags.slice(RATE * WARM_UP_S);
    return {
      rate: RATE,
      deliveries: steady.length,
      sse_p50_ms: round(quantile(steady, 0.5), 1),
      sse_p99_ms: round(quantile(steady, 0.99), 1),
      warm_up_p99_ms: round(quantile(warmUp, 0.99), 1),
    };
  } finally {
    stream.abort();
    await dispatcher.close();
    await server.stop();
  }
}

/** Calls `onChange` with each SSE event's parsed `data:` (comments and heartbeats skipped). */
async function readEvents(
  body: AsyncIterable<Buffer>,
  onChange: (change: { booking?: { uid?: string } }) => void,
): Promise<void> {
  let buffered = '';
  for await (const chunk of body) {
    buffered += chunk.toString('utf8');
    let end = buffered.indexOf('\n\n');
    while (end >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) onChange(JSON.parse(data));
      end = buffered.indexOf('\n\n');
    }
  }
}
