import { waitUntil } from '@calsync/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { simGet } from '../../test/sim-client.ts';
import { type CalSim, startCalSim } from '../start-cal-sim.ts';
import { RequestLog } from './request-log.ts';

let sim: CalSim | undefined;
afterEach(() => sim?.close());

describe('rate limiting', () => {
  it('counts down the three headers, answers 429 over the limit and blocks the key for blockMs', async () => {
    // A long window and a short block: only the block can explain 429s ending, and only its end lets requests in.
    sim = await startCalSim({ bookings: 5, rateLimit: 3, rateWindowMs: 60_000, blockMs: 400 });
    const active = sim;
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await simGet(active, '/v2/bookings?take=1'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining-default'))).toEqual(['2', '1', '0']);
    for (const answer of answers) {
      expect(answer.headers.get('x-ratelimit-limit-default')).toBe('3');
      expect(answer.headers.get('x-ratelimit-reset-default')).toMatch(/^(59|60)$/);
      expect(answer.headers.has('retry-after')).toBe(false);
    }
    const blockedAt = Date.now();
    const over = await simGet(active, '/v2/bookings?take=1');
    expect(over.status).toBe(429);
    expect(over.body).toEqual({
      status: 'error',
      timestamp: expect.any(String),
      path: '/v2/bookings?take=1',
      error: { code: 'ThrottlerException', message: expect.stringContaining('Too Many Requests') },
    });
    expect(over.headers.get('x-ratelimit-remaining-default')).toBe('0');
    expect(over.headers.get('x-ratelimit-reset-default')).toBe('1');
    expect(over.headers.has('retry-after')).toBe(false);
    // Still blocked right after (the block does not depend on the window's count)…
    expect((await simGet(active, '/v2/event-types')).status).toBe(429);
    // …and a different key is not affected by this key's block.
    expect((await simGet(active, '/v2/bookings', { authorization: 'Bearer other' })).status).toBe(401);
    // Once the block has passed, the key is let in again with a fresh window.
    await waitUntil('the key unblocked', async () => (await simGet(active, '/v2/bookings?take=1')).status === 200);
    expect(Date.now() - blockedAt).toBeGreaterThanOrEqual(400);
    expect(active.log.count429()).toBeGreaterThanOrEqual(2);
  });

  it('opens a new window after rateWindowMs, and a block lasts blockMs on the rate clock', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z');
    sim = await startCalSim({
      bookings: 5,
      rateLimit: 2,
      rateWindowMs: 300,
      blockMs: 5_000,
      rateClock: () => clock,
    });
    const remaining = async () => (await simGet(sim!, '/v2/bookings')).headers.get('x-ratelimit-remaining-default');
    expect(await remaining()).toBe('1');
    clock += 100;
    const second = await simGet(sim, '/v2/bookings');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-ratelimit-remaining-default')).toBe('0');
    expect(second.headers.get('x-ratelimit-reset-default')).toBe('1'); // 200 ms left, rounded up to whole seconds
    clock += 200; // the window that started at 0 ends at 300
    expect(await remaining()).toBe('1');
    expect(await remaining()).toBe('0');
    const over = await simGet(sim, '/v2/bookings');
    expect(over.status).toBe(429);
    expect(over.headers.get('x-ratelimit-reset-default')).toBe('5');
    clock += 4_999;
    expect((await simGet(sim, '/v2/bookings')).status).toBe(429);
    clock += 1;
    expect(await remaining()).toBe('1');
    expect(sim.log.count429()).toBe(2);
    expect(sim.log.entries.map((entry) => entry.at - sim!.log.entries[0]!.at)).toEqual([
      0, 100, 300, 300, 300, 5299, 5300,
    ]);
  });

  it('logs every /v2 request with its time, path, status, version and key, and resets', async () => {
    sim = await startCalSim({ bookings: 5 });
    await simGet(sim, '/v2/bookings?take=2');
    await simGet(sim, '/v2/event-types', { 'cal-api-version': undefined });
    await fetch(`${sim.url}/_sim/log`);
    expect(sim.log.entries).toEqual([
      expect.objectContaining({ method: 'GET', path: '/v2/bookings', query: { take: '2' }, status: 200 }),
      expect.objectContaining({ path: '/v2/event-types', status: 400, apiVersion: null, key: 'cal_test_sim' }),
    ]);
    expect(sim.log.entries[0]).toMatchObject({ apiVersion: '2024-08-13', key: 'cal_test_sim', at: expect.any(Number) });
    const viaHttp = await (await fetch(`${sim.url}/_sim/log?windowMs=60000`)).json();
    expect(viaHttp).toMatchObject({ count: 2, count429: 0, maxInWindow: 2 });
    await fetch(`${sim.url}/_sim/log/reset`, { method: 'POST' });
    expect(sim.log.count()).toBe(0);
  });
});

describe('RequestLog.maxInWindow', () => {
  it('finds the busiest window sliding over entry times', () => {
    const log = new RequestLog();
    for (const at of [0, 10, 20, 1000, 1005, 1010, 1015, 1999, 3000]) {
      log.add({ at, method: 'GET', path: '/v2/bookings', query: {}, status: 200, apiVersion: null, key: null });
    }
    expect(log.maxInWindow(1000)).toBe(5); // 1000..1999
    expect(log.maxInWindow(2000)).toBe(8); // 0..1999
    expect(log.maxInWindow(16)).toBe(4); // 1000, 1005, 1010, 1015
    expect(log.maxInWindow(1)).toBe(1);
    expect(new RequestLog().maxInWindow(1000)).toBe(0);
  });
});
