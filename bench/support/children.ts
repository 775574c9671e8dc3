import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, killAndWait, peakRssMb, startScriptNodeFlags } from '@calsync/test-support';
import { sleep } from './services.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What the benchmarks start as child processes: calsync's entry points and the bare-Fastify baseline. */
export const entryPoints = {
  server: `${root}apps/server/src/main.js`,
  ingest: `${root}apps/ingest/src/main.js`,
  worker: `${root}apps/worker/src/main.js`,
  api: `${root}apps/api/src/main.js`,
  baseline: `${root}bench/support/baseline-server.ts`,
} as const;

/** Node flags as the processes' own start scripts pass them (README, "Reconciliation" and "Scaling out"). */
export const nodeFlags: Partial<Record<keyof typeof entryPoints, string[]>> = {
  server: startScriptNodeFlags('server'),
  worker: startScriptNodeFlags('worker'),
};

export const BENCH_SECRET = 'whsec_bench';
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

export interface Child {
  process: ChildProcess;
  url: string;
  output: () => string;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb: () => number;
  stop: () => Promise<void>;
}

/** Starts one process with calsync's configuration; resolves when /healthz answers (the worker: when it logs). */
export async function startChild(kind: keyof typeof entryPoints, env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  // BENCH_NODE_FLAGS adds flags to every child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where time goes.
  const extraFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...(nodeFlags[kind] ?? []), ...extraFlags, entryPoints[kind]], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CAL_WEBHOOK_SECRET: BENCH_SECRET,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
    if (output.length > 100_000) output = output.slice(-50_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 30_000) {
      await killAndWait(child);
      throw new Error(`${kind} did not start within 30 s:\n${output}`);
    }
    if (kind === 'worker' ? output.includes('"msg":"worker started"') : await ready(kind, url)) break;
    await sleep(100);
  }
  return {
    process: child,
    url,
    output: () => output,
    peakRssMb: () => peakRssMb(child.pid),
    stop: async () => {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Ingest and the baseline are ready when /healthz answers; the all-in-one and the API listen before their routes have
 * loaded, and are ready when /readyz says so.
 */
async function ready(kind: keyof typeof entryPoints, url: string): Promise<boolean> {
  return await answers(`${url}/${kind === 'server' || kind === 'api' ? 'readyz' : 'healthz'}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}
