import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OwnRedis, waitUntil } from '@calsync/test-support';
import postgres from 'postgres';
import { startChild } from './support/children.ts';
import { freshDatabase } from './support/services.ts';

/** Its own database: other parts may be using calsync_bench at the same time. */
const DATABASE = 'calsync_bench_outbound';
/** The burst: Changes already in the feed when the worker starts, each sent to every endpoint. */
const BURST_CHANGES = 2_500;
const ENDPOINTS = 2;
/** The steady part: one booking written every 5 ms, each its own transaction. */
const RATE = 200;
const STEADY_SECONDS = 10;

export interface OutboundResult {
  deliveries_per_s: number;
  lag_p99_ms: number;
  rate: number;
  lag_p50_ms: number;
  burst_deliveries: number;
  endpoints: number;
}

/** A receiver that answers 204 at once and notes when each (endpoint, Change) first arrived. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      const change = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; occurred_at: string };
      const key = `${request.url} ${change.id}`;
      if (!arrivals.has(key)) arrivals.set(key, at);
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, arrivals, close: () => server.close() };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

/**
 * Outbound webhooks from the worker process alone to a local receiver: the fan-out throughput of a backlog (Changes
 * written before the worker starts, each to ENDPOINTS endpoints), then the lag from a Change's commit to its arrival
 * while bookings are written at RATE per second.
 */
export async function benchOutbound(redis: OwnRedis): Promise<OutboundResult> {
  const databaseUrl = await freshDatabase(DATABASE);
  await redis.flushAll();
  const receiver = await startReceiver();
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  try {
    for (let i = 0; i < ENDPOINTS; i++) {
      await sql`insert into outbound_endpoints (url, secret)
        values (${`${receiver.url}/endpoint-${i}`}, ${`whsec_${randomBytes(32).toString('base64')}`})`;
    }
    // One statement per booking would take long; one statement for all still writes one Change per row.
    await sql`insert into cal_bookings (cal_uid, status, title)
      select 'burst-' || i, 'scheduled', 'Burst ' || i from generate_series(1, ${BURST_CHANGES}) i`;
    const burstDeliveries = BURST_CHANGES * ENDPOINTS;

    const worker = await startChild('worker', {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      // startChild knows the worker is up from its info line 'worker started'.
      LOG_LEVEL: 'info',
      OUTBOUND_ALLOW_PRIVATE: 'true',
    });
    try {
      await waitUntil('the burst', () => receiver.arrivals.size >= burstDeliveries, undefined, {
        timeoutMs: 120_000,
        intervalMs: 5,
      });
      // From the first arrival to the last: the sending rate, not the worker's start-up.
      const times = [...receiver.arrivals.values()];
      const seconds = (Math.max(...times) - Math.min(...times)) / 1_000;

      const sent = new Map<string, number>();
      const t0 = Date.now();
      for (let i = 0; i < RATE * STEADY_SECONDS; i++) {
        const due = t0 + (i * 1_000) / RATE;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await sql`insert into cal_bookings (cal_uid, status) values (${`steady-${i}`}, 'scheduled')`;
        // The commit is acknowledged here: the lag runs from the Change being written to its arrival.
        sent.set(`steady-${i}`, Date.now());
      }
      const total = burstDeliveries + RATE * STEADY_SECONDS * ENDPOINTS;
      await waitUntil('the steady Changes', () => receiver.arrivals.size >= total, undefined, {
        timeoutMs: 60_000,
        intervalMs: 5,
      });
      const committed = await sql<{ id: string; uid: string }[]>`
        select id::text as id, booking_uid as uid from cal_changes where booking_uid like 'steady-%'`;
      const lags: number[] = [];
      for (const { id, uid } of committed) {
        for (let e = 0; e < ENDPOINTS; e++) {
          const arrived = receiver.arrivals.get(`/endpoint-${e} ${id}`);
          if (arrived !== undefined) lags.push(arrived - sent.get(uid)!);
        }
      }
      return {
        deliveries_per_s: Math.round(burstDeliveries / seconds),
        lag_p99_ms: percentile(lags, 99),
        rate: RATE,
        lag_p50_ms: percentile(lags, 50),
        burst_deliveries: burstDeliveries,
        endpoints: ENDPOINTS,
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await sql.end();
    receiver.close();
  }
}
