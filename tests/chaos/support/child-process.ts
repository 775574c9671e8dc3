import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, startScriptNodeFlags, waitForHttp } from '@calsync/test-support';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The entry points a suite can start: the all-in-one process, or one part alone. */
export const entryPoints = {
  server: `${root}apps/server/src/main.js`,
  ingest: `${root}apps/ingest/src/main.js`,
  worker: `${root}apps/worker/src/main.js`,
} as const;

export interface CalsyncProcess {
  child: ChildProcess;
  /** http://127.0.0.1:port (ingest and server only). */
  url: string;
  /** Everything it printed (for the failure message). */
  output: () => string;
  exited: Promise<number | null>;
  /** SIGKILL: no drain, no goodbye. */
  kill: () => Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop: () => Promise<number | null>;
}

export const TEST_SECRET = 'whsec_chaos_suite';
export const ADMIN_TOKEN = 'chaos-admin-token-0123456789';

/**
 * Starts one calsync process as a child with the given services and the Node flags of its start script. Ingest and
 * server are ready once /healthz answers; the worker once it logs that it started.
 */
export async function startCalsync(
  kind: keyof typeof entryPoints,
  services: { databaseUrl: string; redisUrl: string; extraEnv?: Record<string, string> },
): Promise<CalsyncProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...startScriptNodeFlags(kind), entryPoints[kind]], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CAL_WEBHOOK_SECRET: TEST_SECRET,
      ADMIN_TOKEN,
      ...services.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.length > 200_000) output = output.slice(-100_000);
      if (output.includes('"msg":"worker started"')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const proc: CalsyncProcess = {
    child,
    url,
    output: () => output,
    exited,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return await exited;
    },
  };
  try {
    if (kind === 'worker') await withDeadline(started, 30_000, 'the worker did not start');
    else await waitForHttp(`${url}/healthz`, { timeoutMs: 30_000 });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${kind} output:\n${output}`);
  }
  return proc;
}

async function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return await Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
