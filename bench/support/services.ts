import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { migrate } from '@calsync/db';
import { Redis } from 'ioredis';
import postgres from 'postgres';

/** The PostgreSQL server the benchmarks use: TEST_DATABASE_URL's or DATABASE_URL's server, else the local one. */
export const serverUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export const BENCH_DATABASE = 'calsync_bench';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Drops and recreates `calsync_bench`, migrated; returns its URL. */
export async function freshDatabase(): Promise<string> {
  const admin = postgres(withDatabase(serverUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${BENCH_DATABASE}" with (force)`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, BENCH_DATABASE);
  await migrate(url);
  return url;
}

export interface BenchRedis {
  url: string;
  flushAll: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * A redis-server of the benchmark's own (no persistence, like the machine's), so every figure starts from an empty
 * Redis and the machine's shared Redis is never written.
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => {});
  const deadline = Date.now() + 10_000;
  while ((await client.ping().catch(() => '')) !== 'PONG') {
    if (Date.now() > deadline) throw new Error('the benchmark redis-server did not start');
    await sleep(100);
  }
  return {
    url,
    flushAll: async () => void (await client.flushall()),
    stop: async () => {
      client.disconnect();
      await killAndWait(child);
    },
  };
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function killAndWait(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill(signal);
  await exited;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
