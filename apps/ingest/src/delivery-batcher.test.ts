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

/** 'hold' waits until `release()`: a store that is slow (not dead) for as long as the test wants. */
type Behaviour = 'ok' | 'fail' | 'hang' | 'hold';

function memoryStores(behaviour: { pg?: Behaviour; redis?: Behaviour } = {}) {
  const rows = new Set<string>();
  const seen = new Set<string>();
  const calls = { pg: [] as number[], redis: [] as number[] };
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const outcome = async (kind: Behaviour | undefined, name: string) => {
    if (kind === 'fail') throw new Error(`${name} refused`);
    if (kind === 'hang') await new Promise(() => {});
    if (kind === 'hold') await held;
  };
  const takeNew = (store: Set<string>, items: PendingDelivery[]) => {
    const fresh = new Set(items.map((d) => d.id).filter((id) => !store.has(id)));
    for (const id of fresh) store.add(id);
    return fresh;
  };
  const stores: DeliveryStores = {
    insertRows: async (items) => {
      calls.pg.push(items.length);
      await outcome(behaviour.pg, 'pg');
      return takeNew(rows, items);
    },
    enqueue: async (items) => {
      calls.redis.push(items.length);
      await outcome(behaviour.redis, 'redis');
      return takeNew(seen, items);
    },
  };
  return { stores, calls, rows, seen, release: () => release() };
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

  it('is stored when only one store takes it, and refused only when both stores fail or hang', async () => {
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
    expect(both).toMatchObject({ reason: expect.stringMatching(/^PostgreSQL: pg refused; Redis: /) });
  });

  it('settles at Redis while PostgreSQL is still writing, and still finishes the PostgreSQL write', async () => {
    const memory = memoryStores({ pg: 'hold' });
    const batcher = new DeliveryBatcher(memory.stores);
    expect(await batcher.submit(item('a'))).toEqual({ stored: true, duplicate: false });
    // Redis's verdict alone: the copy is a duplicate although PostgreSQL has not answered for either.
    expect(await batcher.submit(item('a'))).toEqual({ stored: true, duplicate: true });
    expect(memory.rows.size).toBe(0);
    expect(memory.calls.pg).toEqual([1, 1]);
    memory.release();
    await batcher.drain();
    expect([...memory.rows]).toEqual(['a']);
  });

  it('settles at PostgreSQL while Redis is still writing, with PostgreSQL as the duplicate verdict', async () => {
    const memory = memoryStores({ redis: 'hold' });
    const batcher = new DeliveryBatcher(memory.stores);
    expect(await batcher.submit(item('b'))).toEqual({ stored: true, duplicate: false });
    expect(await batcher.submit(item('b'))).toEqual({ stored: true, duplicate: true });
    expect(memory.seen.size).toBe(0);
    memory.release();
    await batcher.drain();
    expect([...memory.seen]).toEqual(['b']);
  });

  it('waits for the other store when the first to answer failed', async () => {
    const memory = memoryStores({ pg: 'fail', redis: 'hold' });
    const batcher = new DeliveryBatcher(memory.stores);
    let fate: unknown = 'pending';
    const submitted = batcher.submit(item('c')).then((f) => {
      fate = f;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fate).toBe('pending');
    memory.release();
    await submitted;
    expect(fate).toEqual({ stored: true, duplicate: false });
  });
});
