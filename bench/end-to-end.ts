import { type OwnRedis, waitUntil } from '@calsync/test-support';
import postgres from 'postgres';
import { Agent } from 'undici';
import { round } from './ingest.ts';
import { startChild } from './support/children.ts';
import type { SignedDelivery } from './support/deliveries.ts';
import { postAll } from './support/post.ts';
import { freshDatabase } from './support/services.ts';

const EVENTS = 20_000;
const STEADY_RATE = 200;
const STEADY_S = 10;

export interface EndToEndResult {
  events: number;
  seconds: number;
  events_per_s: number;
  ingest_seconds: number;
  steady_rate: number;
  lag_p50_ms: number;
  lag_p99_ms: number;
}

/**
 * The all-in-one process (ingest + worker): 20,000 distinct deliveries posted as fast as it takes them, timed until
 * every booking row is committed; then a steady 200/s, with the lag from acknowledgement (received_at) to the
 * committed row (processed_at, same transaction as the booking) per delivery.
 */
export async function benchEndToEnd(pool: readonly SignedDelivery[], redis: OwnRedis): Promise<EndToEndResult> {
  if (pool.length < EVENTS + STEADY_RATE * STEADY_S) throw new Error('not enough distinct deliveries generated');
  const databaseUrl = await freshDatabase();
  await redis.flushAll();
  const server = await startChild('server', { DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const dispatcher = new Agent({ connections: 64 });
  try {
    const url = `${server.url}/cal-webhook`;
    const burst = pool.slice(0, EVENTS);
    const startedAt = performance.now();
    await postAll(dispatcher, url, burst, { lanes: 64 });
    const ingestSeconds = (performance.now() - startedAt) / 1_000;
    await waitForRows(sql, EVENTS, 180_000);
    const seconds = (performance.now() - startedAt) / 1_000;

    const steady = pool.slice(EVENTS, EVENTS + STEADY_RATE * STEADY_S);
    const [{ now }] = (await sql`select now()::text as now`) as unknown as [{ now: string }];
    await postAll(dispatcher, url, steady, { lanes: 16, perSecond: STEADY_RATE });
    await waitForRows(sql, EVENTS + steady.length, 60_000);
    const [lag] = await sql<Array<{ p50: number; p99: number }>>`
      select percentile_cont(0.5) within group (order by extract(epoch from processed_at - received_at)) * 1000 as p50,
        percentile_cont(0.99) within group (order by extract(epoch from processed_at - received_at)) * 1000 as p99
      from cal_webhook_events where received_at >= ${now}::timestamptz`;
    return {
      events: EVENTS,
      seconds: round(seconds, 2),
      events_per_s: Math.round(EVENTS / seconds),
      ingest_seconds: round(ingestSeconds, 2),
      steady_rate: STEADY_RATE,
      lag_p50_ms: round(Number(lag!.p50), 1),
      lag_p99_ms: round(Number(lag!.p99), 1),
    };
  } finally {
    await dispatcher.close();
    await sql.end();
    await server.stop();
  }
}

async function waitForRows(sql: postgres.Sql, rows: number, timeoutMs: number) {
  const count = async () => (await sql<Array<{ n: number }>>`select count(*)::int as n from cal_bookings`)[0]!.n;
  await waitUntil(`${rows} booking rows`, count, (n) => n >= rows, { timeoutMs, intervalMs: 50 });
}
