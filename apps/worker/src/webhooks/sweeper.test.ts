import { createHash } from 'node:crypto';
import { lifecycle } from '@calsync/cal-sim';
import { deliveryJob, openWebhookQueue, type WebhookQueue, workerConnection } from '@calsync/jobs';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, testResources, waitForEvents } from '../../test/pipeline-harness.ts';

const env = useTestEnv();
let queue: WebhookQueue;
beforeAll(() => {
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => await queue.close());

function deliveries(count: number, firstSeed: number) {
  return Array.from({ length: count }, (_, i) => {
    const [created] = lifecycle('book', { seed: firstSeed + i });
    const id = createHash('sha256').update(created!.rawBody).digest('hex');
    return { id, rawBody: created!.rawBody };
  });
}

/** Stores deliveries as ingest does with Redis down: `received` rows, received `ageS` seconds ago, no job. */
async function storeReceived(items: Array<{ id: string; rawBody: string }>, ageS: number) {
  const records = items.map((d, i) => ({ id: d.id, raw_body: d.rawBody, age_ms: ageS * 1_000 - i }));
  await env.sql`insert into cal_webhook_events (id, trigger_event, raw_body, received_at)
    select id, 'BOOKING_CREATED', raw_body, now() - make_interval(secs => age_ms / 1000.0)
    from json_to_recordset(${JSON.stringify(records)}::json) as x(id text, raw_body text, age_ms float8)`;
}

/** Puts each delivery's job in BullMQ's failed set, as a job that stalled past the limit ends. */
async function failJobs(items: Array<{ id: string; rawBody: string }>) {
  await queue.addBulk(
    items.map((d) => deliveryJob({ deliveryId: d.id, rawBody: d.rawBody, receivedAt: new Date().toISOString() })),
  );
  const staller = new Worker(
    queue.name,
    async () => {
      throw new UnrecoverableError('job stalled more than allowable limit');
    },
    { connection: workerConnection(env.redisUrl), prefix: env.redisPrefix, concurrency: 50 },
  );
  await waitUntil(
    `${items.length} failed jobs`,
    () => queue.getFailedCount(),
    (n) => n >= items.length,
    { timeoutMs: 30_000 },
  );
  await staller.close();
  expect(await queue.getFailedCount()).toBe(items.length);
}

async function withWorker<T>(run: () => Promise<T>): Promise<T> {
  const resources = testResources(env);
  const worker = await startTestWorker(resources, { sweepEveryMs: 100, sweepMinAgeMs: 100 });
  try {
    return await run();
  } finally {
    await worker.close();
    await resources.close();
  }
}

describe('the sweeper', () => {
  it('re-applies 600 received rows whose jobs failed, and failed jobs that never got a row', async () => {
    const stuck = deliveries(600, 7_000);
    const rowless = deliveries(3, 7_700);
    await storeReceived(stuck, 600);
    await failJobs([...stuck, ...rowless]);
    await withWorker(async () => {
      const rows = await waitForEvents(
        env,
        [...stuck, ...rowless].map((d) => d.id),
        { timeoutMs: 60_000 },
      );
      expect(rows.filter((r) => r.status !== 'processed')).toEqual([]);
    });
  });

  it('reaches newer rows however many older rows stay stuck behind a job that does not finish', async () => {
    const blocking = deliveries(600, 8_000);
    const newer = deliveries(5, 8_700);
    await storeReceived(blocking, 3_600);
    // Jobs delayed an hour: alive, so the sweeper must leave them be, and they keep their rows `received`.
    await queue.addBulk(
      blocking.map((d) => {
        const job = deliveryJob({ deliveryId: d.id, rawBody: d.rawBody, receivedAt: new Date().toISOString() });
        return { ...job, opts: { ...job.opts, delay: 3_600_000 } };
      }),
    );
    await storeReceived(newer, 60);
    await withWorker(async () => {
      const rows = await waitForEvents(
        env,
        newer.map((d) => d.id),
        { timeoutMs: 20_000 },
      );
      expect(rows.map((r) => r.status)).toEqual(newer.map(() => 'processed'));
    });
    expect(await queue.getDelayedCount()).toBe(600);
  });
});
