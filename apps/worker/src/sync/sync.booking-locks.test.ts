import { useTestEnv, waitUntil } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

// A sync page takes the same per-booking locks as the webhook path (bookings/lock-bookings.ts): a sync and another
// writer meeting one new booking wait for each other instead of both inserting it and failing the page.
const env = useTestEnv();
let harness: SyncHarness;

beforeAll(async () => {
  harness = await startSyncHarness(env, { rateLimit: 50, windowMs: 1_000, sim: { bookings: 5 } });
  await harness.startWorker();
});
afterAll(async () => {
  await harness?.close();
});

async function advisoryWaits() {
  const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from pg_locks
    where locktype = 'advisory' and not granted
      and database = (select oid from pg_database where datname = current_database())`;
  return row!.n;
}

describe('a sync page and the booking locks', () => {
  it('waits for a booking another writer holds, then writes the page', async () => {
    const held = harness.sim.store.bookings()[0]!;
    const writer = await env.sql.reserve();
    let runId: string;
    try {
      await writer`begin`;
      await writer`select pg_advisory_xact_lock(hashtextextended(${`booking:${held.uid}`}, 0))`;
      runId = (await harness.request('bookings_sync')).id;
      await waitUntil('the page write to wait on the held booking', advisoryWaits, (n) => n >= 1);
      const [rows] = await env.sql<{ n: number }[]>`select count(*)::int as n from cal_bookings`;
      expect(rows!.n).toBe(0);
      await writer`commit`;
    } finally {
      writer.release();
    }
    const run = await harness.finished(runId);
    expect(run).toMatchObject({ status: 'succeeded', rowsCreated: 5 });
  });
});
