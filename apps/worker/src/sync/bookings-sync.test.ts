import { type CalClient, createCalClient, createRateBudget } from '@calsync/cal-client';
import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { calBookings, createOrGetActiveSyncRun } from '@calsync/db';
import { calBudgetKeyPrefix } from '@calsync/jobs';
import { useTestEnv } from '@calsync/test-support';
import { count } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBookingsSync } from './bookings-sync.ts';
import type { CalSyncClient, SyncContext } from './sync-context.ts';
import { startRun } from './sync-runs.ts';

const env = useTestEnv();
let sim: CalSim;
let client: CalClient;

beforeAll(async () => {
  sim = await startCalSim({ bookings: 600, rateLimit: 1_000, rateWindowMs: 1_000 });
  const budget = createRateBudget({
    redis: env.redis,
    keyPrefix: calBudgetKeyPrefix(env.redisPrefix),
    limitPerMinute: 1_000,
    windowMs: 1_000,
  });
  client = createCalClient({ baseUrl: sim.url, apiKey: sim.apiKey, budget });
});
afterAll(async () => {
  await client?.close();
  await sim?.close();
});

describe('incremental sync paging', () => {
  it('misses nothing when bookings are updated upstream between its pages', async () => {
    // As on a busy account: before the second page, the five oldest changes are changed again (they move to the end).
    let calls = 0;
    let changedUpstream = false;
    const busy: CalSyncClient = {
      listEventTypes: (options) => client.listEventTypes(options),
      listTeams: (options) => client.listTeams(options),
      listTeamEventTypes: (teamId, options) => client.listTeamEventTypes(teamId, options),
      listBookings: (filters, options) => {
        calls += 1;
        if (calls === 2) {
          const oldest = sim.store
            .sortedBy('updatedAt')
            .slice(0, 5)
            .map((booking) => booking.uid);
          for (const uid of oldest) sim.store.updateBooking(uid, { title: 'Moved' });
          changedUpstream = true;
        }
        return client.listBookings(filters, options);
      },
    };
    const { run: queued } = await createOrGetActiveSyncRun(env.db, 'bookings_sync', 'manual');
    const run = (await startRun(env.db, queued.id))!;
    const ctx: SyncContext = {
      db: env.db,
      redis: env.redis,
      redisPrefix: env.redisPrefix,
      logger: pino({ level: 'silent' }),
      takeRequestCount: () => 1,
      signal: new AbortController().signal,
    };
    const totals = await runBookingsSync(ctx, busy, run);
    expect(changedUpstream).toBe(true);
    const [rows] = await env.db.select({ n: count() }).from(calBookings);
    expect(rows?.n).toBe(600); // offset paging would have skipped five bookings here
    expect(totals).toMatchObject({ created: 600, updated: 5 });
  });
});
