import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startOwnRedis } from './own-redis.ts';

describe('startOwnRedis', () => {
  it('starts an empty private redis-server that flushAll empties and stop shuts down', async () => {
    const own = await startOwnRedis();
    const client = new Redis(own.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      expect(await client.dbsize()).toBe(0);
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      await own.flushAll();
      expect(await client.dbsize()).toBe(0);
    } finally {
      client.disconnect();
      await own.stop();
    }
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(own.url).port), '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('gives two servers two ports', async () => {
    const [a, b] = await Promise.all([startOwnRedis(), startOwnRedis()]);
    try {
      expect(a.url).not.toBe(b.url);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
