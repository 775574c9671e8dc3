import { transaction } from '@calsync/db';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { lockBookings } from './lock-bookings.ts';

const env = useTestEnv();

describe('lockBookings', () => {
  it('makes a second writer of a booking wait until the first commits', async () => {
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstHolds!: () => void;
    const firstHolding = new Promise<void>((resolve) => {
      firstHolds = resolve;
    });
    const order: string[] = [];
    const first = transaction(env.db, async (tx) => {
      await lockBookings(tx, ['b-2', 'b-1']);
      firstHolds();
      await firstMayCommit;
      order.push('first commits');
    });
    await firstHolding;
    const second = transaction(env.db, async (tx) => {
      await lockBookings(tx, ['b-1']);
      order.push('second holds');
    });
    await waitUntil('the second writer to wait on the lock', async () => {
      const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from pg_locks
        where locktype = 'advisory' and not granted
          and database = (select oid from pg_database where datname = current_database())`;
      return row!.n;
    });
    expect(order).toEqual([]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first commits', 'second holds']);
  });

  it('takes nothing for no uids', async () => {
    await transaction(env.db, async (tx) => {
      await lockBookings(tx, []);
    });
  });
});
