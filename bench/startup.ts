import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort, killAndWait, type OwnRedis } from '@calsync/test-support';
import { BENCH_SECRET, entryPoints, nodeFlags } from './support/children.ts';
import { signedDeliveries } from './support/deliveries.ts';
import { freshDatabase } from './support/services.ts';

const RUNS = 5;
const POLL_MS = 5;
const GIVE_UP_MS = 30_000;
// Its own database: another part running at the same time keeps its own.
const DATABASE = 'calsync_bench_startup';

/** One start of one process: ms from spawn to the first `/healthz` 200 and to the first 202 from `POST /cal-webhook`. */
export interface StartupSample {
  healthz_ms: number;
  first_202_ms: number;
  /** CPU time the process used until its first 202: the figure a busy, shared machine does not inflate. */
  cpu_ms: number;
}

export interface StartupResult {
  /** Median over the runs of spawn → first 202 (ingest alone; it answers /healthz no later). */
  ingest_ms: number;
  /** The same for the all-in-one process (`pnpm start`) on a database already migrated. */
  all_in_one_ms: number;
  ingest_healthz_ms: number;
  all_in_one_healthz_ms: number;
  /** The API alone (`pnpm --filter @calsync/api start`): spawn → first `/healthz` 200 (it takes no deliveries). */
  api_healthz_ms: number;
  ingest_cpu_ms: number;
  all_in_one_cpu_ms: number;
  /** The first start of each (Node's compile cache may still be cold), for comparison. */
  ingest_first_run_ms: number;
  all_in_one_first_run_ms: number;
  runs: number;
}

/**
 * How fast ingest alone, the all-in-one process and the API alone answer after a (re)start: Cal.com's deliveries that
 * arrive meanwhile are refused and never resent. Each process is started RUNS times on the same migrated database (a
 * restart, not a first install); the median is the figure, the first run is shown beside it.
 */
export async function benchStartup(redis: OwnRedis): Promise<StartupResult> {
  const databaseUrl = await freshDatabase(DATABASE);
  const deliveries = signedDeliveries(2 * RUNS, 900_000);
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
  const ingest: StartupSample[] = [];
  const server: StartupSample[] = [];
  const api: StartupSample[] = [];
  for (let i = 0; i < RUNS; i++) {
    ingest.push(await timeStart('ingest', env, deliveries[2 * i]!));
    server.push(await timeStart('server', env, deliveries[2 * i + 1]!));
    api.push(await timeStart('api', env));
  }
  return {
    ingest_ms: median(ingest.map((s) => s.first_202_ms)),
    all_in_one_ms: median(server.map((s) => s.first_202_ms)),
    ingest_healthz_ms: median(ingest.map((s) => s.healthz_ms)),
    all_in_one_healthz_ms: median(server.map((s) => s.healthz_ms)),
    api_healthz_ms: median(api.map((s) => s.healthz_ms)),
    ingest_cpu_ms: median(ingest.map((s) => s.cpu_ms)),
    all_in_one_cpu_ms: median(server.map((s) => s.cpu_ms)),
    ingest_first_run_ms: ingest[0]!.first_202_ms,
    all_in_one_first_run_ms: server[0]!.first_202_ms,
    runs: RUNS,
  };
}

/** Without a delivery (the API alone), the first 202 is not waited for and reads as the first /healthz. */
async function timeStart(
  kind: 'ingest' | 'server' | 'api',
  env: Record<string, string>,
  delivery?: { body: string; headers: Record<string, string> },
): Promise<StartupSample> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...(nodeFlags[kind] ?? []), entryPoints[kind]], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CAL_WEBHOOK_SECRET: BENCH_SECRET,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  try {
    const healthz = await firstAnswer(() => fetch(`${url}/healthz`), 200);
    const accepted = delivery
      ? await firstAnswer(
          () => fetch(`${url}/cal-webhook`, { method: 'POST', body: delivery.body, headers: delivery.headers }),
          202,
        )
      : healthz;
    return {
      healthz_ms: Math.round(healthz - started),
      first_202_ms: Math.round(accepted - started),
      cpu_ms: cpuMs(child.pid),
    };
  } finally {
    await killAndWait(child, 'SIGTERM');
  }

  // Polls every few ms: the figure is the start-up, not the poll interval.
  async function firstAnswer(call: () => Promise<Response>, status: number): Promise<number> {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}:\n${stderr}`);
      if (performance.now() - started > GIVE_UP_MS) throw new Error(`${kind} did not answer ${status} in time`);
      const answered = await call().then(
        (r) => r.status,
        () => 0,
      );
      if (answered === status) return performance.now();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

/** User + system CPU time of a running process, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
