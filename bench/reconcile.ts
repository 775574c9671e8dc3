import { startCalSim } from '@calsync/cal-sim';
import { createDb } from '@calsync/db';
import { openSyncQueue, requestSync } from '@calsync/jobs';
import { type OwnRedis, waitUntil } from '@calsync/test-support';
import { round } from './ingest.ts';
import { startChild } from './support/children.ts';
import { measureCpu } from './support/cpu.ts';
import { freshDatabase, sleep } from './support/services.ts';

/**
 * 12× the production budget (100/min), in simulator and worker alike, for a short benchmark. The goal (ratio ≤ 1.05)
 * asks that the budget, not calsync, sets the pace, as it does in production; at 1,200/min a page comes every 50 ms,
 * and the CPU a page costs (worker, PostgreSQL, simulator, measured alongside) says whether this machine's cores can
 * keep up with that at all.
 */
const BUDGET_PER_MIN = 1_200;
const PAGE = 250;

export interface ReconcileResult {
  bookings: number;
  /** `new`: the first reconciliation of the account, every booking created; `unchanged`: the next one, nothing new. */
  account: 'new' | 'unchanged';
  requests: number;
  min_requests: number;
  budget_per_min: number;
  elapsed_s: number;
  floor_s: number;
  ratio: number;
  http_429: number;
  peak_rss_mb: number;
  /** Peak RSS before the reconciliation started (start-up, module loading). */
  idle_rss_mb: number;
  rows_created: number;
  rows_updated: number;
  /** CPU per request (a page of 250), from /proc; the simulator is the benchmark's own process. */
  cpu_ms_per_page: { worker: number; postgres: number; simulator: number; total: number };
  /** The most requests a minute this machine's cores could serve at that CPU cost: above the budget, or it sets the pace. */
  cpu_ceiling_per_min: number;
}

/**
 * Two full reconciliations of `bookings` bookings by the worker alone (child process) against the simulator, with the
 * budget scaled up alike in both (1,200/min): the first creates every booking, the second finds nothing changed (the
 * daily run's usual case). The account is filled after the worker's start-up syncs have run, so the reconciliations
 * are the only thing walking it.
 */
export async function benchReconcile(bookings: number, redis: OwnRedis): Promise<ReconcileResult[]> {
  const sim = await startCalSim({ bookings: 0, rateLimit: BUDGET_PER_MIN, rateWindowMs: 60_000, blockMs: 60_000 });
  const databaseUrl = await freshDatabase();
  await redis.flushAll();
  const { db, client: sql } = createDb(databaseUrl, { max: 2 });
  const queue = openSyncQueue({ redisUrl: redis.url, prefix: 'calsync' });
  const worker = await startChild('worker', {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    CAL_API_URL: sim.url,
    CAL_API_KEY: sim.apiKey,
    CAL_API_RATE_LIMIT: String(BUDGET_PER_MIN),
    CAL_SYNC_EVERY: '24h',
  });
  const cpuGroups = {
    worker: ({ pid }: { pid: number }) => pid === worker.process.pid,
    postgres: ({ name }: { name: string }) => name === 'postgres',
    simulator: ({ pid }: { pid: number }) => pid === process.pid,
  };
  const reconcile = async (account: ReconcileResult['account']): Promise<ReconcileResult> => {
    const idleRssMb = worker.peakRssMb();
    sim.log.reset();
    const {
      result: run,
      usPerItem,
      ceilingPerS,
    } = await measureCpu(
      cpuGroups,
      async () => {
        const requested = await requestSync({ db, queue }, 'reconcile', 'manual');
        return await waitForRun(sql, requested.id, 180_000);
      },
      (finished) => finished.requests,
    );
    if (run.status !== 'succeeded') throw new Error(`reconciliation ${run.status}: ${run.error}`);
    const elapsed = (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1_000;
    const floor = run.requests / (BUDGET_PER_MIN / 60);
    const ms = (us: number) => round(us / 1_000, 1);
    const cpuMs = {
      worker: ms(usPerItem.worker),
      postgres: ms(usPerItem.postgres),
      simulator: ms(usPerItem.simulator),
      total: ms(usPerItem.total),
    };
    return {
      bookings,
      account,
      requests: run.requests,
      min_requests: Math.ceil(bookings / PAGE),
      budget_per_min: BUDGET_PER_MIN,
      elapsed_s: round(elapsed, 2),
      floor_s: round(floor, 2),
      ratio: round(elapsed / floor, 2),
      http_429: sim.log.count429(),
      peak_rss_mb: worker.peakRssMb(),
      idle_rss_mb: idleRssMb,
      rows_created: run.rows_created,
      rows_updated: run.rows_updated,
      cpu_ms_per_page: cpuMs,
      cpu_ceiling_per_min: Math.round(ceilingPerS * 60),
    };
  };
  try {
    await waitUntilIdle(sql);
    const base = Date.now();
    for (let i = 0; i < bookings; i++) {
      const start = new Date(base + ((i % 2_000) + 1) * 3_600_000).toISOString();
      sim.store.createBooking({ start });
    }
    const first = await reconcile('new');
    const again = await reconcile('unchanged');
    if (first.rows_created !== bookings || again.rows_created + again.rows_updated !== 0) {
      throw new Error(
        `reconciliations wrote ${first.rows_created} new rows (expected ${bookings}), then ` +
          `${again.rows_created + again.rows_updated} (expected 0)`,
      );
    }
    return [first, again];
  } finally {
    await worker.stop();
    await queue.close();
    await sql.end();
    await sim.close();
  }
}

interface RunRow {
  status: string;
  error: string | null;
  requests: number;
  rows_created: number;
  rows_updated: number;
  started_at: string;
  finished_at: string;
}

async function waitForRun(sql: ReturnType<typeof createDb>['client'], id: string, timeoutMs: number): Promise<RunRow> {
  const read = async () =>
    (
      await sql<RunRow[]>`select status, error, requests, rows_created, rows_updated, started_at::text,
        finished_at::text from cal_sync_runs where id = ${id}`
    )[0];
  const finished = (run: RunRow | undefined) =>
    run !== undefined && run.status !== 'queued' && run.status !== 'running';
  return (await waitUntil('the reconciliation to finish', read, finished, { timeoutMs, intervalMs: 100 }))!;
}

/** Waits for the start-up syncs (bookings, event types: one request each on an empty account) to finish. */
async function waitUntilIdle(sql: ReturnType<typeof createDb>['client']) {
  await sleep(1_000);
  const active = async () =>
    (
      await sql<
        Array<{ n: number }>
      >`select count(*)::int as n from cal_sync_runs where status in ('queued', 'running')`
    )[0]!.n;
  await waitUntil('the start-up syncs to finish', active, (n) => n === 0, { timeoutMs: 29_000, intervalMs: 200 });
}
