import type { OwnRedis } from '@calsync/test-support';
import { Agent } from 'undici';
import { BENCH_SECRET, startChild } from './support/children.ts';
import { measureCpu } from './support/cpu.ts';
import { DeliveryRotation, type SignedDelivery } from './support/deliveries.ts';
import { type LoadFigures, load } from './support/load.ts';
import { postAll, quantile } from './support/post.ts';
import { freshDatabase } from './support/services.ts';

const CONNECTIONS = 64;
const WARM_UP_S = 2;
const MEASURE_S = 8;
const STEADY_RATE = 200;
const STEADY_S = 8;

export interface IngestResult {
  connections: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  baseline_rps: number;
  baseline_p50_ms: number;
  baseline_p99_ms: number;
  ratio: number;
  steady_rate: number;
  steady_p99_ms: number;
  /** The bare route's p99 at the same steady rate: this machine's floor. */
  baseline_steady_p99_ms: number;
  /**
   * CPU per delivery at 64 connections (µs, all threads) of each process involved, and the deliveries/s the machine's
   * cores could serve at that cost: where the time goes when ingest and its stores share the machine.
   */
  cpu_us_per_delivery: { ingest: number; postgres: number; redis: number; load_generator: number; total: number };
  cpu_ceiling_per_s: number;
  /** The same for bare Fastify: server and load generator per request. */
  baseline_cpu_us_per_request: { server: number; load_generator: number; total: number };
  non2xx: number;
  deliveries_reused: boolean;
}

/**
 * Ingest (apps/ingest alone, in a child process) under 64 connections of distinct signed deliveries, against the
 * bare-Fastify baseline measured the same way in the same run; then the acknowledgement p99 at a steady 200/s.
 */
export async function benchIngest(pool: readonly SignedDelivery[], redis: OwnRedis): Promise<IngestResult> {
  const baseline = await startChild('baseline', {});
  let baselineFigures: LoadFigures;
  let baselineCpu: IngestResult['baseline_cpu_us_per_request'];
  let baselineSteadyP99: number;
  try {
    const rotation = new DeliveryRotation(pool);
    const url = `${baseline.url}/cal-webhook`;
    await load({ url, connections: CONNECTIONS, seconds: WARM_UP_S, deliveries: rotation });
    baselineSteadyP99 = await steadyP99(url, rotation);
    const measured = await measureCpu(
      { server: ({ pid }) => pid === baseline.process.pid, load_generator: ({ pid }) => pid === process.pid },
      () => load({ url, connections: CONNECTIONS, seconds: MEASURE_S, deliveries: rotation }),
      (figures) => figures.requests,
    );
    baselineFigures = measured.result;
    baselineCpu = measured.usPerItem;
  } finally {
    await baseline.stop();
  }

  const databaseUrl = await freshDatabase();
  await redis.flushAll();
  const ingest = await startChild('ingest', {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    CAL_WEBHOOK_SECRET: BENCH_SECRET,
  });
  try {
    const rotation = new DeliveryRotation(pool);
    const url = `${ingest.url}/cal-webhook`;
    // The steady rate first, after a short warm-up: measured after the 64-connection run it would time PostgreSQL
    // vacuuming and checkpointing that burst rather than ingest.
    await steadyP99(url, rotation, WARM_UP_S);
    const steadyP99Ms = await steadyP99(url, rotation);
    await load({ url, connections: CONNECTIONS, seconds: WARM_UP_S, deliveries: rotation });
    const measured = await measureCpu(
      {
        ingest: ({ pid }) => pid === ingest.process.pid,
        postgres: ({ name }) => name === 'postgres',
        redis: ({ pid }) => pid === redis.pid,
        load_generator: ({ pid }) => pid === process.pid,
      },
      () => load({ url, connections: CONNECTIONS, seconds: MEASURE_S, deliveries: rotation }),
      (figures) => figures.requests,
    );
    const figures = measured.result;
    return {
      connections: CONNECTIONS,
      rps: figures.rps,
      p50_ms: figures.p50_ms,
      p99_ms: figures.p99_ms,
      baseline_rps: baselineFigures.rps,
      baseline_p50_ms: baselineFigures.p50_ms,
      baseline_p99_ms: baselineFigures.p99_ms,
      ratio: round(figures.rps / baselineFigures.rps, 2),
      steady_rate: STEADY_RATE,
      steady_p99_ms: round(steadyP99Ms, 1),
      baseline_steady_p99_ms: round(baselineSteadyP99, 1),
      cpu_us_per_delivery: measured.usPerItem,
      cpu_ceiling_per_s: Math.round(measured.ceilingPerS),
      baseline_cpu_us_per_request: baselineCpu,
      non2xx: figures.non2xx + figures.errors,
      deliveries_reused: rotation.wrapped,
    };
  } finally {
    await ingest.stop();
  }
}

/** Acknowledgement p99 (ms) of deliveries sent evenly spaced at STEADY_RATE per second (any non-202 throws). */
async function steadyP99(url: string, deliveries: DeliveryRotation, seconds = STEADY_S): Promise<number> {
  const dispatcher = new Agent({ connections: 16 });
  try {
    const latencies = await postAll(dispatcher, url, deliveries.take(STEADY_RATE * seconds), {
      lanes: 16,
      perSecond: STEADY_RATE,
    });
    return quantile(latencies, 0.99);
  } finally {
    await dispatcher.close();
  }
}

export function round(value: number, digits: number) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
