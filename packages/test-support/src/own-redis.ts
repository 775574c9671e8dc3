import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './net.ts';
import { killAndWait } from './processes.ts';

/** A redis-server of the caller's own, which it may flush or stop without touching the machine's shared Redis. */
export interface OwnRedis {
  url: string;
  /** The redis-server's process id (the benchmarks read its CPU time). */
  pid: number;
  flushAll: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Starts a throwaway redis-server (no persistence, like the machine's) on a free port; resolves once it answers. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  // Its own working directory: a test that turns persistence on must not leave files in the repository.
  const dir = mkdtempSync(join(tmpdir(), 'calsync-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error)); // e.g. no redis-server on PATH
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => {}); // refused until the server listens: the loop below waits for that
  const deadline = Date.now() + 10_000;
  while ((await client.ping().catch(() => '')) !== 'PONG') {
    if (spawnError) {
      client.disconnect();
      removeDir();
      throw new Error(`could not start redis-server: ${spawnError.message}`);
    }
    if (Date.now() > deadline) {
      client.disconnect();
      await killAndWait(child);
      removeDir();
      throw new Error(`redis-server on port ${port} did not answer PING within 10000 ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    flushAll: async () => void (await client.flushall()),
    stop: async () => {
      client.disconnect();
      await killAndWait(child);
      removeDir();
    },
  };
}

/**
 * Registers beforeAll/afterAll in the calling suite and returns its own redis-server, started before the first test
 * (like `useTestEnv()`).
 */
export function useOwnRedis(): OwnRedis {
  const redis = {} as OwnRedis;
  beforeAll(async () => {
    Object.assign(redis, await startOwnRedis());
  });
  afterAll(async () => {
    await redis.stop?.();
  });
  return redis;
}
