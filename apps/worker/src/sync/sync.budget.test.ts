import { useTestEnv } from '@calsync/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { describeRequests, requestedSkips, type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';
import { PAGE_SIZE } from './bookings-sync.ts';

const env = useTestEnv();
let harness: SyncHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('the shared budget', () => {
  it('is shared by two workers running at once: no window above the limit, no 429', async () => {
    const rateLimit = 8;
    const windowMs = 500;
    const bookings = 3_000;
    harness = await startSyncHarness(env, { rateLimit, windowMs, sim: { bookings } });
    await harness.startWorker({ concurrency: 1 });
    await harness.startWorker({ concurrency: 1 });
    // With no watermark yet, the bookings sync walks everything too: one walk per worker, each of 12 full pages and
    // the empty 13th that ends it (a listing ends at its first page with fewer than PAGE_SIZE items; Cal.com's totals
    // are not trusted). One request per page: a 13th request is that empty page, never a page asked twice.
    const pagesPerWalk = Math.floor(bookings / PAGE_SIZE) + 1;
    const [reconcile, sync] = await Promise.all([harness.request('reconcile'), harness.request('bookings_sync')]);
    const runs = [await harness.finished(reconcile.id), await harness.finished(sync.id)];
    // On a failure the simulator's own log says what happened: which page was asked twice, and whether a 429 came.
    const warnings = harness.logs.filter((line) => (line.level as number) >= 40).map((line) => JSON.stringify(line));
    const evidence = `the simulator's log:\n${describeRequests(harness.sim)}\nthe workers' warnings:\n${warnings.join('\n')}`;
    // The two ways a page is asked twice, named before the counts: a 429 (the budget let too many through), or a
    // failed attempt (its page is asked again on the retry, and so is the next page, prefetched while it was written).
    expect(harness.sim.log.count429(), evidence).toBe(0);
    const failedAttempts = harness.logs.filter((line) => line.msg === 'sync attempt failed; it will be retried');
    expect(failedAttempts, evidence).toEqual([]);
    for (const run of runs) {
      expect(run, evidence).toMatchObject({ status: 'succeeded', pages: pagesPerWalk, requests: pagesPerWalk });
    }
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    // They really ran at the same time (each worker takes one job at a time).
    expect(a.startedAt!.getTime(), evidence).toBeLessThan(b.finishedAt!.getTime());
    expect(b.startedAt!.getTime(), evidence).toBeLessThan(a.finishedAt!.getTime());
    expect(harness.sim.log.count(), evidence).toBe(2 * pagesPerWalk);
    expect(harness.sim.log.maxInWindow(windowMs), evidence).toBeLessThanOrEqual(rateLimit);
  });

  it('turns a 429 into a wait: the job comes back, resumes at its page, and nothing fails', async () => {
    harness = await startSyncHarness(env, { rateLimit: 5, windowMs: 500, sim: { bookings: 2_000, blockMs: 1_500 } });
    // Someone else uses the same key until Cal.com blocks it: the sync's next request gets a 429.
    for (let i = 0; i <= 5; i++) {
      await fetch(`${harness.sim.url}/v2/event-types`, {
        headers: { authorization: `Bearer ${harness.sim.apiKey}`, 'cal-api-version': '2024-06-14' },
      });
    }
    expect(harness.sim.log.count429()).toBe(1);
    harness.sim.log.reset();
    await harness.startWorker();
    const run = await harness.finished((await harness.request('reconcile')).id, 20_000);
    expect(run).toMatchObject({ status: 'succeeded', error: null, pages: 9 }); // 8 full pages and an empty one
    expect(harness.sim.log.count429()).toBeGreaterThan(0);
    expect(run.requests).toBe(harness.sim.log.count());
    const answered = harness.sim.log.entries.filter((entry) => entry.status === 200);
    expect(answered).toHaveLength(9);
    expect(new Set(requestedSkips(harness.sim)).size).toBe(9); // only refused pages were asked again
    expect(harness.logs.some((line) => line.msg === 'Cal.com budget exhausted; the sync waits')).toBe(true);
    expect(harness.logs.some((line) => (line.level as number) >= 50)).toBe(false);
  });
});
