import { describe, expect, it } from 'vitest';
import {
  accessEnv,
  calApiEnv,
  EnvError,
  httpEnv,
  parseEnv,
  proxyEnv,
  scheduleEnv,
  storageEnv,
  webhookEnv,
} from './env.ts';

const shape = { ...storageEnv, ...httpEnv, ...calApiEnv, ...webhookEnv, ...scheduleEnv, ...accessEnv };

describe('parseEnv', () => {
  it('starts with no configuration at all, on the documented defaults', () => {
    const env = parseEnv(shape, {});
    expect(env).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/calsync',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      HOST: '0.0.0.0',
      CAL_API_URL: 'https://api.cal.com',
      CAL_API_RATE_LIMIT: 100,
      CAL_RECONCILE_CRON: '0 3 * * *',
      CAL_SYNC_EVERY: 300_000,
      CAL_WEBHOOK_ALLOW_UNSIGNED: false,
      LOG_LEVEL: 'info',
    });
    expect(env.CAL_API_KEY).toBeUndefined();
    expect(env.ADMIN_TOKEN).toBeUndefined();
  });

  it('parses lists, durations and flags', () => {
    const env = parseEnv(shape, {
      CAL_WEBHOOK_SECRET: 'new-secret, old-secret',
      CAL_SYNC_EVERY: '90s',
      CAL_WEBHOOK_ALLOW_UNSIGNED: 'true',
      CORS_ORIGINS: 'https://a.example,https://b.example',
    });
    expect(env.CAL_WEBHOOK_SECRET).toEqual(['new-secret', 'old-secret']);
    expect(env.CAL_SYNC_EVERY).toBe(90_000);
    expect(env.CAL_WEBHOOK_ALLOW_UNSIGNED).toBe(true);
    expect(env.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('treats an empty value as unset', () => {
    const env = parseEnv(shape, { PORT: '', ADMIN_TOKEN: '' });
    expect(env.PORT).toBe(3000);
    expect(env.ADMIN_TOKEN).toBeUndefined();
  });

  it('names every bad variable', () => {
    const bad = () =>
      parseEnv(shape, { PORT: '99999', DATABASE_URL: 'mysql://x', CAL_SYNC_EVERY: 'often', ADMIN_TOKEN: 'short' });
    expect(bad).toThrow(EnvError);
    try {
      bad();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'CAL_SYNC_EVERY', 'ADMIN_TOKEN']) expect(message).toContain(name);
    }
  });
});

describe('TRUST_PROXY', () => {
  const trust = (value?: string) => parseEnv(proxyEnv, { TRUST_PROXY: value }).TRUST_PROXY;

  it("defaults to false and takes Fastify trustProxy's forms: a flag, a hop count, addresses and CIDRs", () => {
    expect(trust()).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(trust('10.0.0.0/8, 192.168.1.7,fd00::/8,loopback')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses anything else with a message naming TRUST_PROXY and the bad item', () => {
    for (const bad of ['yes', '0', '10.0.0.0/33', '10.0.0.1,proxy.example', '::1/129', '300.1.1.1', ',']) {
      expect(() => trust(bad), bad).toThrow(
        /^invalid configuration:\n {2}TRUST_PROXY: expected false, true, a hop count/,
      );
    }
    expect(() => trust('10.0.0.1,proxy.example')).toThrow(/"proxy\.example" is none of these/);
  });
});
