import type { OwnRedis } from '@calsync/test-support';
import { BENCH_SECRET, startChild } from './support/children.ts';
import { DeliveryRotation, type SignedDelivery } from './support/deliveries.ts';
import { type LoadFigures, load } from './support/load.ts';
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
  let baselineSteady: LoadFigures;
  try {
    const rotation = new DeliveryRotation(pool);
    const url = `${baseline.url}/cal-webhook`;
    await load({ url, connections: CONNECTIONS, seconds: WARM_UP_S, deliveries: rotation });
    baselineSteady = await steadyLoad(url, rotation);
    baselineFigures = await load({ url, connections: CONNECTIONS, seconds: MEASURE_S, deliveries: rotation });
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
    await load({ url, connections: 16, seconds: WARM_UP_S, overallRate: STEADY_RATE, deliveries: rotation });
    const steady = await steadyLoad(url, rotation);
    await load({ url, connections: CONNECTIONS, seconds: WARM_UP_S, deliveries: rotation });
    const figures = await load({ url, connections: CONNECTIONS, seconds: MEASURE_S, deliveries: rotation });
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
      steady_p99_ms: steady.p99_ms,
      baseline_steady_p99_ms: baselineSteady.p99_ms,
      non2xx: figures.non2xx + steady.non2xx + figures.errors + steady.errors,
      deliveries_reused: rotation.wrapped,
    };
  } finally {
    await ingest.stop();
  }
}

function steadyLoad(url: string, deliveries: DeliveryRotation) {
  return load({ url, connections: 16, seconds: STEADY_S, overallRate: STEADY_RATE, deliveries });
}

export function round(value: number, digits: number) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
