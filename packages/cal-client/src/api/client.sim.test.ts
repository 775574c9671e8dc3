import { randomUUID } from 'node:crypto';
import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type CalClient, createCalClient } from './client.ts';
import { CalAuthError, CalNotFoundError, CalRateLimitedError } from './errors.ts';
import { createRateBudget, type RateBudgetOptions } from './rate-budget.ts';
import { CAL_API_VERSIONS, type CalClientOptions, type CalRequestInfo } from './transport.ts';

const env = useTestEnv();
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(options: Parameters<typeof startCalSim>[0] = {}): Promise<CalSim> {
  const started = await startCalSim(options);
  cleanups.push(() => started.close());
  return started;
}

function budget(options: Partial<RateBudgetOptions> = {}) {
  return createRateBudget({
    redis: env.redis,
    keyPrefix: `${env.redisPrefix}:cal-budget:${randomUUID()}`,
    limitPerMinute: 100,
    ...options,
  });
}

function clientOf(target: CalSim, options: Partial<CalClientOptions> = {}): CalClient {
  const client = createCalClient({ baseUrl: target.url, apiKey: target.apiKey, budget: budget(), ...options });
  cleanups.push(() => client.close());
  return client;
}

describe('Cal.com client against the simulator', () => {
  it('lists 1,000 bookings completely and in updatedAt order, in 4 full pages and the empty one that ends it', async () => {
    const target = await sim({ bookings: 1000, seed: 3 });
    const client = clientOf(target);
    const pages = [];
    for await (const page of client.listBookings()) pages.push(page);

    expect(pages.map((p) => [p.skip, p.nextSkip, p.bookings.length])).toEqual([
      [0, 250, 250],
      [250, 500, 250],
      [500, 750, 250],
      // A full page never ends the listing (Cal.com's totals are not trusted): one more request finds the end.
      [750, 1000, 250],
      [1000, null, 0],
    ]);
    const bookings = pages.flatMap((p) => p.bookings);
    expect(new Set(bookings.map((b) => b.uid)).size).toBe(1000);
    const updated = bookings.map((b) => Date.parse(b.updatedAt ?? ''));
    expect(updated.every((time, i) => i === 0 || time >= updated[i - 1]!)).toBe(true);
    const listings = target.log.entries.filter((e) => e.path === '/v2/bookings');
    expect(listings).toHaveLength(5);
    expect(listings.map((e) => e.query)).toEqual(
      [0, 250, 500, 750, 1000].map((skip) =>
        expect.objectContaining({ take: '250', skip: String(skip), sortUpdatedAt: 'asc' }),
      ),
    );

    // Resuming at a checkpoint gives the same tail.
    const resumed = [];
    for await (const page of client.listBookings({ skip: 750 })) resumed.push(...page.bookings);
    expect(resumed.map((b) => b.uid)).toEqual(bookings.slice(750).map((b) => b.uid));
  });

  it('sends the bearer key and the right cal-api-version for every family', async () => {
    const target = await sim({ bookings: 20, seed: 4 });
    const seen: CalRequestInfo[] = [];
    const client = clientOf(target, { onRequest: (info) => seen.push(info) });
    const firstPage = await client.listBookings({ take: 5, afterUpdatedAt: new Date(0) }).next();
    const someBooking = firstPage.value?.bookings[0];
    expect(someBooking).toBeDefined();
    await expect(client.getBooking(someBooking!.uid)).resolves.toMatchObject({ uid: someBooking!.uid });
    const eventTypes = await client.listEventTypes();
    expect(eventTypes.length).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const slots = await client.getSlots({ eventTypeId: eventTypes[0]!.id, start: today, end: today, timeZone: 'UTC' });
    expect(typeof slots).toBe('object');

    const versionFor = (path: string) =>
      path.startsWith('/v2/bookings')
        ? CAL_API_VERSIONS.bookings
        : path.startsWith('/v2/event-types')
          ? CAL_API_VERSIONS['event-types']
          : CAL_API_VERSIONS.slots;
    expect(target.log.entries).toHaveLength(4);
    for (const entry of target.log.entries) {
      expect(entry).toMatchObject({ status: 200, key: target.apiKey, apiVersion: versionFor(entry.path) });
    }
    expect(seen.map((s) => s.family)).toEqual(['bookings', 'bookings', 'event-types', 'slots']);
  });

  it('a wrong key is CalAuthError (not retried); an unknown uid is CalNotFoundError', async () => {
    const target = await sim({ bookings: 5 });
    await expect(clientOf(target, { apiKey: 'cal_live_wrong' }).listEventTypes()).rejects.toBeInstanceOf(CalAuthError);
    expect(target.log.count()).toBe(1);
    await expect(clientOf(target).getBooking('no-such-uid')).rejects.toBeInstanceOf(CalNotFoundError);
  });

  it('a 429 pauses every client sharing the budget until Cal.com unblocks the key', async () => {
    const target = await sim({ bookings: 5, rateLimit: 3, rateWindowMs: 1_000, blockMs: 1_500 });
    const keyPrefix = `${env.redisPrefix}:cal-budget:${randomUUID()}`;
    const secondConnection = new Redis(env.redisUrl);
    cleanups.push(() => secondConnection.disconnect());
    const first = clientOf(target, { budget: budget({ keyPrefix }) });
    const second = clientOf(target, {
      budget: createRateBudget({ redis: secondConnection, keyPrefix, limitPerMinute: 100 }),
    });

    // Someone else using the same key (outside our budget) uses up Cal.com's allowance.
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${target.url}/v2/event-types`, {
        headers: { authorization: `Bearer ${target.apiKey}`, 'cal-api-version': CAL_API_VERSIONS['event-types'] },
      });
      expect(response.status).toBe(200);
    }
    const throttled = await first.listEventTypes().catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(CalRateLimitedError);
    expect((throttled as CalRateLimitedError).retryAfterMs).toBe(2_000); // Reset header: whole seconds

    await expect(second.listEventTypes()).resolves.toBeInstanceOf(Array);
    const entries = target.log.entries;
    expect(target.log.count429()).toBe(1);
    expect(entries).toHaveLength(5);
    expect(entries[4]!.at - entries[3]!.at).toBeGreaterThanOrEqual(1_500);
  });

  it('interactive calls go first when both wait', async () => {
    const target = await sim({ bookings: 5 });
    const shared = budget({ limitPerMinute: 1, windowMs: 300 });
    const client = clientOf(target, { budget: shared });
    const eventTypeId = (await client.listEventTypes())[0]!.id;
    target.log.reset();
    await shared.pauseUntil(Date.now() + 300);

    const backgrounds = Array.from({ length: 4 }, () => client.listEventTypes());
    await shared.status(); // same Redis connection: every background call has asked once and is now asleep
    const today = new Date().toISOString().slice(0, 10);
    const interactive = client.getSlots({ eventTypeId, start: today, end: today }, { priority: 'interactive' });
    await Promise.all([...backgrounds, interactive]);
    expect(target.log.entries.map((e) => e.path)).toEqual([
      '/v2/slots',
      '/v2/event-types',
      '/v2/event-types',
      '/v2/event-types',
      '/v2/event-types',
    ]);
  });
});
