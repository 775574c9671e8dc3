import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { calBookings, calSyncSkippedItems, getSyncRun } from '@calsync/db';
import { openSyncQueue, requestSync, type SyncQueue } from '@calsync/jobs';
import { resourcesOf, useTestEnv, waitUntil } from '@calsync/test-support';
import { count, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkerEnv } from '../env.ts';
import type { RunningWorker } from '../start-worker.ts';
import { startSyncProcessing } from '../sync/index.ts';

// One item in an API page that the schema refuses (here a booking without `start`), as a Cal.com answer may hold
// when its output service meets a row it did not expect. A small proxy between calsync and the simulator takes the
// field out of one booking in every GET /v2/bookings answer; everything else passes through untouched.

const env = useTestEnv();
const BOOKINGS = 30;
let sim: CalSim;
let proxy: Server;
let queue: SyncQueue;
let worker: RunningWorker;
let brokenUid: string;

/** Forwards every request to the simulator; removes `start` from the booking `brokenUid` in bookings listings. */
function startBreakingProxy(target: string): Promise<string> {
  proxy = createServer(async (request, reply) => {
    const upstream = await fetch(new URL(request.url ?? '/', target), {
      method: request.method ?? 'GET',
      headers: Object.entries(request.headers).flatMap(([k, v]) =>
        typeof v === 'string' && k !== 'host' ? [[k, v]] : [],
      ),
    });
    let body = await upstream.text();
    if (request.url?.startsWith('/v2/bookings') && upstream.ok) {
      const json = JSON.parse(body) as { data: Array<Record<string, unknown>> };
      for (const booking of json.data) if (booking.uid === brokenUid) delete booking.start;
      body = JSON.stringify(json);
    }
    const headers = Object.fromEntries(
      [...upstream.headers].filter(([k]) => k !== 'content-length' && k !== 'content-encoding'),
    );
    reply.writeHead(upstream.status, headers).end(body);
  });
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  sim = await startCalSim({ bookings: BOOKINGS, rateLimit: 1_000, rateWindowMs: 1_000 });
  brokenUid = sim.store.bookings()[7]!.uid;
  const proxyUrl = await startBreakingProxy(sim.url);
  queue = openSyncQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
  const workerEnv = loadWorkerEnv({ CAL_API_URL: proxyUrl, CAL_API_KEY: sim.apiKey, CAL_API_RATE_LIMIT: '1000' });
  worker = await startSyncProcessing(
    { env: workerEnv, resources: resourcesOf(env), logger: pino({ level: 'silent' }) },
    { budgetWindowMs: 1_000, schedules: false },
  );
});
afterAll(async () => {
  await worker?.close();
  await queue?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  await sim?.close();
});

async function finished(runId: string) {
  const run = await waitUntil(
    `run ${runId} to finish`,
    () => getSyncRun(env.db, runId),
    (found) => found?.status === 'succeeded' || found?.status === 'failed',
  );
  return run!;
}

describe('an item the schema refuses in an API page', () => {
  for (const kind of ['bookings_sync', 'reconcile'] as const) {
    it(`${kind}: the run succeeds, skips that one item and records it; every other booking is mirrored`, async () => {
      const run = await finished((await requestSync({ db: env.db, queue }, kind)).id);
      expect(run).toMatchObject({ status: 'succeeded', error: null, itemsSkipped: 1 });
      const skipped = await env.db.select().from(calSyncSkippedItems).where(eq(calSyncSkippedItems.runId, run.id));
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatchObject({ itemKey: brokenUid });
      expect(skipped[0]!.reason).toContain('start');
      expect(skipped[0]!.raw).toMatchObject({ uid: brokenUid });
      expect(skipped[0]!.raw).not.toHaveProperty('start');
      const [mirrored] = await env.db.select({ n: count() }).from(calBookings);
      expect(mirrored?.n).toBe(BOOKINGS - 1);
      expect(await env.db.select().from(calBookings).where(eq(calBookings.calUid, brokenUid))).toEqual([]);
    });
  }
});
