import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { openSyncQueue, requestSync } from '@calsync/jobs';
import { killAndWait, spawnNode, useOwnRedis, useTestEnv, waitUntil } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { tryLockRun } from './run-lock.ts';

// A PostgreSQL restart mid-sync, narrowed to the one connection that matters: the reserved connection holding the
// run's advisory lock. The worker must let go of the run and still drain on SIGTERM instead of waiting forever on
// a query sent to the dead connection.
const env = useTestEnv();
// Its own redis-server: the worker alone uses the default key prefix, which other processes under test share.
const redis = useOwnRedis();
const mainFile = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * Cal.com as the worker sees it: the simulator, except that a listing's later pages (`skip` > 0) never get an answer,
 * so every sync stays in the middle of its run, after its first page, holding its lock for as long as the test needs.
 */
async function startStallingCalApi(sim: CalSim) {
  const held: ServerResponse[] = [];
  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    const headers = Object.entries(request.headers).flatMap(([name, value]) =>
      typeof value === 'string' && !['host', 'connection'].includes(name) ? [[name, value] as [string, string]] : [],
    );
    const answer = await fetch(`${sim.url}${request.url}`, { method: request.method, headers });
    const answerHeaders = [...answer.headers].filter(
      ([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name),
    );
    response.writeHead(answer.status, Object.fromEntries(answerHeaders)).end(Buffer.from(await answer.arrayBuffer()));
  };
  const server = createServer((request, response) => {
    const skip = Number(new URL(request.url ?? '/', 'http://calsync.test').searchParams.get('skip') ?? 0);
    if (skip > 0) return void held.push(response);
    forward(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The backend holding the run's advisory lock (the two-key form keeps the run's hash in objid, objsubid 2). */
async function lockHolder(runId: string): Promise<number | undefined> {
  const [row] = await env.sql<Array<{ pid: number }>>`
    select pid from pg_locks
    where locktype = 'advisory' and granted and objsubid = 2 and objid = hashtext(${runId})::oid
      and database = (select oid from pg_database where datname = current_database())`;
  return row?.pid;
}

async function exitCodeWithin(exited: Promise<number | null>, ms: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), ms);
  });
  try {
    return await Promise.race([exited, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a sync run whose run-lock connection dies mid-run', () => {
  it('lets another taker have the lock, and the worker still drains on SIGTERM and exits 0', async () => {
    const sim = await startCalSim({ bookings: 1_000 });
    const calApi = await startStallingCalApi(sim);
    const queue = openSyncQueue({ redisUrl: redis.url, prefix: 'calsync' });
    const worker = spawnNode(mainFile, {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: redis.url,
      CAL_API_URL: calApi.url,
      CAL_API_KEY: sim.apiKey,
      LOG_LEVEL: 'warn',
    });
    try {
      const run = await requestSync({ db: env.db, queue }, 'reconcile');
      await waitUntil('the run to finish its first page', async () => {
        const [row] = await env.sql<Array<{ pages: number }>>`select pages from cal_sync_runs where id = ${run.id}`;
        return (row?.pages ?? 0) >= 1;
      });
      const holder = await waitUntil("the worker to hold the run's lock", () => lockHolder(run.id));
      expect(await tryLockRun(env.db, run.id), 'the worker holds the run').toBeUndefined();

      const [terminated] = await env.sql<
        Array<{ done: boolean }>
      >`select pg_terminate_backend(${holder}, 5000) as done`;
      expect(terminated?.done).toBe(true);
      const unlock = await tryLockRun(env.db, run.id);
      expect(unlock, 'another taker gets the run once its lock holder is gone').toBeDefined();
      await unlock?.();

      worker.child.kill('SIGTERM');
      expect(await exitCodeWithin(worker.exited, 20_000), worker.output()).toBe(0);
      // Handed back for the next worker to resume, without using an attempt.
      const job = await queue.getJob(run.id);
      expect(await job?.getState()).toBe('delayed');
      expect(job?.attemptsMade).toBe(0);
    } finally {
      await killAndWait(worker.child);
      await queue.close();
      await calApi.close();
      await sim.close();
    }
  }, 60_000);
});
