import { useTestEnv } from '@calsync/test-support';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type PgClient } from './client.ts';

// What patches/postgres@3.4.9.patch promises: a reserved connection whose backend dies (a PostgreSQL restart,
// pg_terminate_backend) rejects its queries instead of leaving them pending forever, and the pool recovers.
const env = useTestEnv();
const pools: PgClient[] = [];

afterEach(async () => {
  // A hung query would hold end() open: the timeout closes the sockets regardless.
  await Promise.all(pools.splice(0).map((pool) => pool.end({ timeout: 1 })));
});

function openPool(max: number): PgClient {
  const { client: sql } = createDb(env.databaseUrl, { max, applicationName: 'calsync-reserved-test' });
  pools.push(sql);
  return sql;
}

type Outcome = { settled: 'resolved'; value: unknown } | { settled: 'rejected'; code: unknown } | { settled: 'no' };

/** How `promise` settled within `ms`: a hang shows as `{ settled: 'no' }` rather than as a test timeout. */
async function outcomeWithin(promise: Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ settled: 'no' }), ms);
  });
  const outcome = promise.then(
    (value): Outcome => ({ settled: 'resolved', value }),
    (error: { code?: unknown }): Outcome => ({ settled: 'rejected', code: error.code }),
  );
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function terminateBackendOf(reserved: postgres.ReservedSql): Promise<void> {
  const [row] = await reserved<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
  const killer = postgres(env.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [result] = await killer<Array<{ done: boolean }>>`select pg_terminate_backend(${row!.pid}, 5000) as done`;
    expect(result?.done).toBe(true);
  } finally {
    await killer.end();
  }
}

describe('a reserved connection whose backend was terminated', () => {
  it('rejects its next queries with CONNECTION_CLOSED within a second', async () => {
    const reserved = await openPool(2).reserve();
    await terminateBackendOf(reserved);

    expect(await outcomeWithin(reserved`select 1 as one`, 1_000)).toEqual({
      settled: 'rejected',
      code: 'CONNECTION_CLOSED',
    });
    // By now the client has seen the socket close: a query sent afterwards must not hang either.
    expect(await outcomeWithin(reserved`select 2 as two`, 1_000)).toEqual({
      settled: 'rejected',
      code: 'CONNECTION_CLOSED',
    });
    reserved.release();
  });

  it('once released, leaves a pool that serves new queries and new reservations', async () => {
    // One connection: the pool has to bring back the very connection that died.
    const pool = openPool(1);
    const reserved = await pool.reserve();
    await terminateBackendOf(reserved);
    await outcomeWithin(reserved`select 1`, 1_000);
    reserved.release();

    for (const n of [1, 2, 3]) {
      const outcome = await outcomeWithin(pool<Array<{ n: number }>>`select ${n}::int as n`, 2_000);
      expect(outcome).toEqual({ settled: 'resolved', value: [{ n }] });
    }
    const again = await pool.reserve();
    expect(await outcomeWithin(again<Array<{ ok: boolean }>>`select true as ok`, 2_000)).toEqual({
      settled: 'resolved',
      value: [{ ok: true }],
    });
    again.release();
  });
});
