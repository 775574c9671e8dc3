import { useOwnRedis } from '@calsync/test-support';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';
import {
  checkRedisDurability,
  redisDurabilityEnv,
  requireDurableRedis,
  VolatileRedisError,
} from './redis-durability.ts';

// Its own redis-server: the test changes Redis's settings, which the machine's shared Redis must never see.
const own = useOwnRedis();
const clients: Redis[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

function connect(url = own.url) {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

async function configure(appendonly: string, policy: string) {
  const admin = connect();
  await admin.call('CONFIG', 'SET', 'appendonly', appendonly);
  await admin.call('CONFIG', 'SET', 'maxmemory-policy', policy);
}

describe('Redis durability at start-up', () => {
  it('a Redis without appendonly, evicting keys: a warning that says what to set, and no start in production', async () => {
    await configure('no', 'allkeys-lru');
    const redis = connect();
    const durability = await checkRedisDurability(redis);
    expect(durability).toMatchObject({ appendonly: 'no', maxmemoryPolicy: 'allkeys-lru', durable: false });
    expect(durability.warning).toMatch(/appendonly yes.*maxmemory-policy noeviction/);

    const refusal = requireDurableRedis(redis, { NODE_ENV: 'production', ALLOW_VOLATILE_REDIS: false });
    await expect(refusal).rejects.toBeInstanceOf(VolatileRedisError);
    await expect(refusal).rejects.toThrow(/NODE_ENV=production.*ALLOW_VOLATILE_REDIS=true/);
    await expect(
      requireDurableRedis(redis, { NODE_ENV: 'production', ALLOW_VOLATILE_REDIS: true }),
    ).resolves.toMatchObject({ durable: false });
    await expect(
      requireDurableRedis(redis, { NODE_ENV: 'development', ALLOW_VOLATILE_REDIS: false }),
    ).resolves.toMatchObject({
      durable: false,
    });
  });

  it('appendonly yes and noeviction: durable, no warning, starts in production', async () => {
    await configure('yes', 'noeviction');
    const durability = await requireDurableRedis(connect(), { NODE_ENV: 'production', ALLOW_VOLATILE_REDIS: false });
    expect(durability).toEqual({ appendonly: 'yes', maxmemoryPolicy: 'noeviction', durable: true, warning: null });
  });

  it('a Redis that refuses CONFIG (a managed service): unknown, a warning, never fatal', async () => {
    await configure('no', 'allkeys-lru');
    await connect().call('ACL', 'SETUSER', 'no-config', 'on', '>secret-pass', '~*', '&*', '+@all', '-config');
    const limited = connect(own.url.replace('redis://', 'redis://no-config:secret-pass@'));
    const durability = await requireDurableRedis(limited, { NODE_ENV: 'production', ALLOW_VOLATILE_REDIS: false });
    expect(durability).toMatchObject({ appendonly: 'unknown', maxmemoryPolicy: 'unknown', durable: null });
    expect(durability.warning).toMatch(/CONFIG GET refused/);
  });
});

describe('ALLOW_VOLATILE_REDIS', () => {
  it('takes true or false; anything else is refused naming the variable', () => {
    expect(parseEnv(redisDurabilityEnv, { ALLOW_VOLATILE_REDIS: 'true' }).ALLOW_VOLATILE_REDIS).toBe(true);
    expect(parseEnv(redisDurabilityEnv, {}).ALLOW_VOLATILE_REDIS).toBe(false);
    expect(() => parseEnv(redisDurabilityEnv, { ALLOW_VOLATILE_REDIS: 'sometimes' })).toThrow(/ALLOW_VOLATILE_REDIS/);
  });
});
