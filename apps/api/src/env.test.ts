import { describe, expect, it } from 'vitest';
import { loadApiEnv } from './env.ts';

describe('the API configuration', () => {
  it('defaults the public limits and reads them from the environment', () => {
    expect(loadApiEnv({})).toMatchObject({
      PUBLIC_RATE_LIMIT: 120,
      AVAILABILITY_MISSES_PER_CLIENT: 20,
      AVAILABILITY_CACHE_TTL: 60_000,
    });
    expect(
      loadApiEnv({ PUBLIC_RATE_LIMIT: '600', AVAILABILITY_MISSES_PER_CLIENT: '50', AVAILABILITY_CACHE_TTL: '5m' }),
    ).toMatchObject({ PUBLIC_RATE_LIMIT: 600, AVAILABILITY_MISSES_PER_CLIENT: 50, AVAILABILITY_CACHE_TTL: 300_000 });
  });

  it('refuses a bad limit with a message naming each variable', () => {
    expect(() => loadApiEnv({ PUBLIC_RATE_LIMIT: 'lots', AVAILABILITY_CACHE_TTL: 'forever' })).toThrow(
      /PUBLIC_RATE_LIMIT[\s\S]*AVAILABILITY_CACHE_TTL|AVAILABILITY_CACHE_TTL[\s\S]*PUBLIC_RATE_LIMIT/,
    );
    expect(() => loadApiEnv({ AVAILABILITY_MISSES_PER_CLIENT: '0' })).toThrow(/AVAILABILITY_MISSES_PER_CLIENT/);
  });

  it('takes TRUST_PROXY and the failed sign-in limit, naming a bad value', () => {
    expect(loadApiEnv({})).toMatchObject({
      TRUST_PROXY: false,
      AUTH_FAILURES_PER_CLIENT: 10,
      AUTH_FAILURE_WINDOW: 900_000,
    });
    expect(loadApiEnv({ TRUST_PROXY: '10.0.0.0/8', AUTH_FAILURES_PER_CLIENT: '5' })).toMatchObject({
      TRUST_PROXY: ['10.0.0.0/8'],
      AUTH_FAILURES_PER_CLIENT: 5,
    });
    expect(() => loadApiEnv({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(() => loadApiEnv({ AUTH_FAILURES_PER_CLIENT: '0' })).toThrow(/AUTH_FAILURES_PER_CLIENT/);
  });
});
