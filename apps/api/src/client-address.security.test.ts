import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildTestApi, mirrorEventTypes } from '../test/app.ts';
import { clientKey } from './client-key.ts';

// Per-client limits must count the address calsync can trust: the socket's peer, or what TRUST_PROXY's proxies say.
// `inject` comes from 127.0.0.1, so a rotating X-Forwarded-For is an attacker's forged header unless 127.0.0.1 is
// the configured proxy.

const env = useTestEnv();
let sim: CalSim;
let eventTypeId: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  sim = await startCalSim({ bookings: 0, eventTypes: 1 });
  eventTypeId = String(sim.store.eventTypes()[0]!.id);
  await mirrorEventTypes(env, [eventTypeId]);
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await sim?.close();
});

async function build(vars: Record<string, string>, redisPrefix: string) {
  const app = await buildTestApi({ ...env, redisPrefix: `${env.redisPrefix}-${redisPrefix}` }, vars);
  apps.push(app);
  return app;
}

const forwardedFrom = (n: number) => ({ 'x-forwarded-for': `10.77.${n >> 8}.${n & 255}` });
const slotCalls = () => sim.log.count((entry) => entry.path.startsWith('/v2/slots'));
const week = (n: number) => {
  const monday = Date.UTC(2032, 0, 5) + n * 7 * 86_400_000;
  const day = (d: number) => new Date(monday + d * 86_400_000).toISOString().slice(0, 10);
  return new URLSearchParams({ eventTypeId, dateFrom: day(0), dateTo: day(2) });
};

describe('the public rate limit', () => {
  it('counts a client that rotates a forged X-Forwarded-For as one client', async () => {
    const app = await build({ PUBLIC_RATE_LIMIT: '5' }, 'public-forged');
    const statuses: number[] = [];
    for (let n = 0; n < 12; n++) {
      statuses.push((await app.inject({ url: '/cal-event-types', headers: forwardedFrom(n) })).statusCode);
    }
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);
  });

  it('counts the forwarded address when TRUST_PROXY names the proxy', async () => {
    const app = await build({ PUBLIC_RATE_LIMIT: '2', TRUST_PROXY: '127.0.0.1' }, 'public-trusted');
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) {
      statuses.push((await app.inject({ url: '/cal-event-types', headers: forwardedFrom(n) })).statusCode);
    }
    expect(statuses).toEqual(Array(6).fill(200));
    const same = () => app.inject({ url: '/cal-event-types', headers: forwardedFrom(0) });
    expect((await same()).statusCode).toBe(200);
    expect((await same()).statusCode).toBe(429);
  });
});

describe('the availability miss limit', () => {
  // It counts per fixed minute. Each test starts at the beginning of one (the clock set back by under a minute, and
  // running), so its requests never straddle two minutes, however slow the machine.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: Math.floor(Date.now() / 60_000) * 60_000, shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts a client that rotates a forged X-Forwarded-For as one client, so Cal.com is asked only its share', async () => {
    const app = await build(
      { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey, AVAILABILITY_MISSES_PER_CLIENT: '3' },
      'miss-forged',
    );
    const before = slotCalls();
    const statuses: number[] = [];
    for (let n = 0; n < 8; n++) {
      const answer = await app.inject({ url: `/cal-availability?${week(n)}`, headers: forwardedFrom(n) });
      statuses.push(answer.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    expect(slotCalls()).toBe(before + 3);
  });

  it('counts the forwarded address when TRUST_PROXY names the proxy', async () => {
    const app = await build(
      {
        CAL_API_URL: sim.url,
        CAL_API_KEY: sim.apiKey,
        AVAILABILITY_MISSES_PER_CLIENT: '1',
        TRUST_PROXY: '127.0.0.0/8',
      },
      'miss-trusted',
    );
    for (let n = 0; n < 3; n++) {
      const answer = await app.inject({ url: `/cal-availability?${week(20 + n)}`, headers: forwardedFrom(n) });
      expect(answer.statusCode).toBe(200);
    }
    const again = await app.inject({ url: `/cal-availability?${week(30)}`, headers: forwardedFrom(0) });
    expect(again.statusCode).toBe(429);
  });
});

describe('clientKey', () => {
  it('keys IPv4 by address and IPv6 by its /64, so rotating through a /64 does not make new clients', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});
