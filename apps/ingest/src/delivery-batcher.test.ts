import { describe, expect, it } from 'vitest';
import { DeliveryBatcher, type DeliveryStores, type PendingDelivery } from './delivery-batcher.ts';

// The batching logic alone, with in-memory stores; ingest.*.test.ts covers the real PostgreSQL and Redis.

const item = (id: string): PendingDelivery => ({
  id,
  rawBody: '{}',
  triggerEvent: 'PING',
  bookingUid: null,
  sentAt: null,
  receivedAt: new Date().toISOString(),
});

function memoryStores(behaviour: { pg?: 'ok' | 'fail' | 'hang'; redis?: 'ok' | 'fail' | 'hang' } = {}) {
  const rows = new Set<string>();
  const calls = { pg: [] as number[], redis: [] as number[] };
  const outcome = async (kind: 'ok' | 'fail' | 'hang' | undefined, name: string) => {
    if (kind === 'fail') throw new Error(`${name} refused`);
    if (kind === 'hang') await new Promise(() => {});
  };
  const stores: DeliveryStores = {
    insertRows: async (items) => {
      calls.pg.push(items.length);
      await outcome(behaviour.pg, 'pg');
      const inserted = new Set(items.map((d) => d.id).filter((id) => !rows.has(id)));
      for (const id of inserted) rows.add(id);
      return inserted;
    },
    enqueue: async (items) => {
      calls.redis.push(items.length);
      await outcome(behaviour.redis, 'redis');
    },
  };
  return { stores, calls };
}

describe('DeliveryBatcher', () => {
  it('writes deliveries that arrive together in one call per store, split at maxBatch', async () => {
    const { stores, calls } = memoryStores();
    const batcher = new DeliveryBatcher(stores, { maxBatch: 256 });
    const fates = await Promise.all(Array.from({ length: 300 }, (_, i) => batcher.submit(item(`d${i}`))));
    expect(fates.every((f) => f.stored && !f.duplicate)).toBe(true);
    expect(calls.pg).toEqual([256, 44]);
    expect(calls.redis).toEqual([256, 44]);
  });

  it('answers duplicate for a stored id and for a second copy in the same batch', async () => {
    const { stores, calls } = memoryStores();
    const batcher = new DeliveryBatcher(stores);
    await batcher.submit(item('a'));
    const fates = await Promise.all([batcher.submit(item('a')), batcher.submit(item('b')), batcher.submit(item('b'))]);
    expect(fates).toEqual([
      { stored: true, duplicate: true },
      { stored: true, duplicate: false },
      { stored: true, duplicate: true },
    ]);
    expect(calls.pg).toEqual([1, 2]);
  });

  it('is stored when only Redis takes it, and refused only when both stores fail or hang', async () => {
    expect(await new DeliveryBatcher(memoryStores({ pg: 'fail' }).stores).submit(item('x'))).toEqual({
      stored: true,
      duplicate: false,
    });
    expect(await new DeliveryBatcher(memoryStores({ redis: 'fail' }).stores).submit(item('x'))).toEqual({
      stored: true,
      duplicate: false,
    });
    const both = await new DeliveryBatcher(memoryStores({ pg: 'fail', redis: 'hang' }).stores, {
      storeTimeoutMs: 50,
    }).submit(item('x'));
    expect(both).toMatchObject({ stored: false, reason: expect.stringContaining('did not answer within 50 ms') });
  });
});
