import { type CalSim, type CalSimOptions, startCalSim } from '@calsync/cal-sim';
import { type CalSyncRun, getSyncRun, type SyncKind } from '@calsync/db';
import { openSyncQueue, requestSync, type SyncQueue } from '@calsync/jobs';
import { resourcesOf, type TestEnv, waitUntil } from '@calsync/test-support';
import { pino } from 'pino';
import { loadWorkerEnv } from '../src/env.ts';
import type { RunningWorker } from '../src/start-worker.ts';
import { type SyncProcessingOptions, startSyncProcessing } from '../src/sync/index.ts';

/** Test-only: a simulator, sync workers on one test file's database and Redis prefix, and helpers to drive them. */
export interface SyncHarness {
  sim: CalSim;
  queue: SyncQueue;
  /** Every log line the workers wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Starts one more sync worker (they share the budget through Redis). */
  startWorker: (overrides?: SyncProcessingOptions) => Promise<RunningWorker>;
  request: (kind: SyncKind) => Promise<CalSyncRun>;
  /** Waits until the run is succeeded or failed, then returns it. */
  finished: (runId: string, timeoutMs?: number) => Promise<CalSyncRun>;
  close: () => Promise<void>;
}

export interface HarnessOptions {
  /** The simulator's limit per window, and the budget's. */
  rateLimit: number;
  windowMs: number;
  sim?: CalSimOptions;
  /** Defaults to the simulator's key; null for none. */
  apiKey?: string | null;
  /** The client's budget, if it should differ from the simulator's limit. */
  budgetLimit?: number;
}

export async function startSyncHarness(env: TestEnv, options: HarnessOptions): Promise<SyncHarness> {
  const sim = await startCalSim({
    rateLimit: options.rateLimit,
    rateWindowMs: options.windowMs,
    blockMs: options.windowMs,
    ...options.sim,
  });
  const queue = openSyncQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const apiKey = options.apiKey === undefined ? sim.apiKey : options.apiKey;
  const workerEnv = loadWorkerEnv({
    CAL_API_URL: sim.url,
    CAL_API_KEY: apiKey ?? undefined,
    CAL_API_RATE_LIMIT: String(options.budgetLimit ?? options.rateLimit),
  });
  const resources = resourcesOf(env);
  const workers: RunningWorker[] = [];

  async function startWorker(overrides: SyncProcessingOptions = {}) {
    const worker = await startSyncProcessing(
      { env: workerEnv, resources, logger },
      { budgetWindowMs: options.windowMs, schedules: false, ...overrides },
    );
    workers.push(worker);
    return worker;
  }

  async function finished(runId: string, timeoutMs = 15_000): Promise<CalSyncRun> {
    const run = await waitUntil(
      `run ${runId} to finish`,
      () => getSyncRun(env.db, runId),
      (found) => found?.status === 'succeeded' || found?.status === 'failed',
      { timeoutMs },
    );
    return run!;
  }

  return {
    sim,
    queue,
    logs,
    startWorker,
    request: (kind) => requestSync({ db: env.db, queue }, kind),
    finished,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await queue.close();
      await sim.close();
    },
  };
}

/** The `skip` of every GET /v2/bookings the simulator answered, in arrival order. */
export function requestedSkips(sim: CalSim): number[] {
  return sim.log.entries
    .filter((entry) => entry.path.startsWith('/v2/bookings'))
    .map((entry) => Number((entry.query as { skip?: string }).skip ?? 0));
}

/** Every request the simulator answered, one a line: ms since the first, path and query, status. */
export function describeRequests(sim: CalSim): string {
  const first = sim.log.entries[0]?.at ?? 0;
  return sim.log.entries
    .map(
      (entry) =>
        `+${entry.at - first} ms ${entry.method} ${entry.path} ${JSON.stringify(entry.query)} → ${entry.status}`,
    )
    .join('\n');
}
