import { type Delivery, lifecycle, lifecycleKinds } from '@calsync/cal-sim';
import { createDb, queryRows } from '@calsync/db';
import { openCountingRelay, useTestEnv } from '@calsync/test-support';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingRows, deliveryId, forget, uidsOf } from '../../test/delivery-stories.ts';
import { applyDeliveries } from './apply-deliveries.ts';
import { applyDelivery } from './apply-delivery.ts';
import { DeliveryCollector } from './delivery-collector.ts';

const env = useTestEnv();

/** A BOOKING_CREATED whose description pads its body by `bytes`. */
function padded(seed: number, bytes: number): Delivery {
  const delivery = lifecycle('book', { seed })[0]!;
  const body = JSON.parse(delivery.rawBody) as { payload: Record<string, unknown> };
  body.payload.description = 'x'.repeat(bytes);
  return { ...delivery, rawBody: JSON.stringify(body) };
}

const jobData = (d: Delivery) => ({ deliveryId: deliveryId(d), rawBody: d.rawBody, receivedAt: d.createdAt });

/** What ingest does before the worker sees a job: the event row, `received`. */
async function storeEvents(deliveries: Delivery[]) {
  for (const d of deliveries) {
    await env.db.execute(sql`insert into cal_webhook_events (id, trigger_event, booking_uid, raw_body, received_at)
      values (${deliveryId(d)}, ${d.triggerEvent}, ${d.uid}, ${d.rawBody}, ${d.createdAt}::timestamptz)`);
  }
}

const story = fc
  .record({ kind: fc.constantFrom(...lifecycleKinds), seed: fc.integer({ min: 1, max: 1_000_000 }) })
  .chain(({ kind, seed }) => {
    const deliveries = lifecycle(kind, { seed });
    return fc.shuffledSubarray(deliveries, { minLength: deliveries.length }).map((order) => ({ deliveries, order }));
  });

describe('applyDeliveries (several deliveries in one transaction)', () => {
  it('ends a lifecycle applied as one batch, in any order, in the same rows as one by one in order', async () => {
    await fc.assert(
      fc.asyncProperty(story, async ({ deliveries, order }) => {
        const uids = uidsOf(deliveries);
        await forget(env.db, deliveries, uids);
        for (const d of deliveries) await applyDelivery(env.db, jobData(d));
        const expected = await bookingRows(env.db, uids);
        await forget(env.db, deliveries, uids);
        await storeEvents(order);
        const results = await applyDeliveries(env.db, order.map(jobData));
        expect(results.every((r) => r.status === 'processed' || r.status === 'ignored')).toBe(true);
        expect(await bookingRows(env.db, uids)).toEqual(expected);
        expect(await applyDeliveries(env.db, order.map(jobData))).toEqual(
          order.map(() => ({ status: 'already-done' })),
        );
      }),
      { numRuns: 20 },
    );
  });

  it('stores a signed body in a shape it cannot read as unrecognized, while the rest of its batch lands', async () => {
    const good = [lifecycle('book', { seed: 4_001 })[0]!, lifecycle('book', { seed: 4_002 })[0]!];
    const template = {
      ...good[0]!,
      rawBody: '{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-01-15T12:00:00Z","payload":7}',
    };
    await storeEvents([...good, template]);
    const collector = new DeliveryCollector(env.db);
    const results = await Promise.all([...good, template].map((d) => collector.apply(jobData(d))));
    expect(results.map((r) => r.status)).toEqual(['processed', 'processed', 'unrecognized']);
    expect(results[2]).toMatchObject({ needsSync: true });
    expect(
      await bookingRows(
        env.db,
        good.map((d) => d.uid!),
      ),
    ).toHaveLength(2);
  });

  it('sends PostgreSQL the ids of a batch, not the bodies its rows already hold', async () => {
    // 128 bodies of up to 1 MiB each once went back to PostgreSQL in the statement that locks their rows: a worker
    // taking a full queue of large deliveries held that statement in memory on top of the bodies themselves.
    const padding = 'x'.repeat(200_000);
    const big = Array.from({ length: 8 }, (_, i) => ({
      ...lifecycle('book', { seed: 4_100 + i })[0]!,
      rawBody: JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: '2026-01-15T12:00:00Z', padding, n: i }),
    }));
    await storeEvents(big);
    const relay = await openCountingRelay(env.databaseUrl);
    const { db, client } = createDb(relay.url, { max: 1 });
    try {
      const results = await applyDeliveries(db, big.map(jobData));
      expect(results.map((r) => r.status)).toEqual(big.map(() => 'unrecognized'));
      expect(relay.counter.bytes).toBeLessThan(padding.length);
    } finally {
      await client.end();
      relay.close();
    }
  });

  it('splits deliveries that arrive together into batches by job count and body bytes, an oversized one alone', async () => {
    // Without byte bounds 128 deliveries of 1 MiB made one batch: one statement of over 128 MB.
    const small = Array.from({ length: 5 }, (_, i) => padded(4_200 + i, 10));
    const large = Array.from({ length: 6 }, (_, i) => padded(4_300 + i, 300_000));
    const oversized = padded(4_400, 1_200_000);
    const arrivals = [...small, ...large, oversized];
    await storeEvents(arrivals);
    const collector = new DeliveryCollector(env.db, { batchJobs: 4, batchBytes: 1_000_000, inFlightBytes: 1_000_000 });
    const results = await Promise.all(arrivals.map((d) => collector.apply(jobData(d))));
    expect(results.map((r) => r.status)).toEqual(arrivals.map(() => 'processed'));
    // A batch is one transaction: its events share the transaction id that marked them processed.
    const ids = arrivals.map(deliveryId);
    const groups = await queryRows<{ ids: string[] }>(
      env.db,
      sql`select array_agg(id) as ids from cal_webhook_events where id = any(${sql.param(ids)}::text[])
        group by xmin order by min(xmin::text::bigint)`,
    );
    const batchOf = (group: { ids: string[] }) => group.ids.map((id) => ids.indexOf(id)).sort((a, b) => a - b);
    expect(groups.map(batchOf)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10], [11]]);
  });

  it('starts no batch past the in-flight bound while another batch runs', async () => {
    const first = Array.from({ length: 3 }, (_, i) => padded(4_600 + i, 300_000));
    const second = padded(4_610, 300_000);
    await storeEvents([...first, second]);
    const collector = new DeliveryCollector(env.db, { batchJobs: 4, batchBytes: 1_000_000, inFlightBytes: 1_000_000 });
    // Another session holds the first batch's event rows: that batch waits for it, with its bytes in flight.
    const holder = await env.sql.reserve();
    try {
      await holder`begin`;
      await holder`select id from cal_webhook_events where id = ${deliveryId(first[0]!)} for update`;
      const applied = [...first, second].map((d) => collector.apply(jobData(d)));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const statusOf = async (d: Delivery) =>
        (
          await env.sql<Array<{ status: string }>>`select status from cal_webhook_events where id = ${deliveryId(d)}`
        )[0]!.status;
      expect(await statusOf(second)).toBe('received'); // 900 kB in flight + 300 kB would pass 1 MB
      await holder`commit`;
      expect((await Promise.all(applied)).map((r) => r.status)).toEqual([
        'processed',
        'processed',
        'processed',
        'processed',
      ]);
    } finally {
      holder.release();
    }
  });
});
