import { describe, expect, inject, it } from 'vitest';
import { closedPortUrl } from './net.ts';
import { postgresAnswers, redisAnswers, resolveTestServices } from './test-services.ts';

// The suite's own services stand in for "the machine's local PostgreSQL and Redis".
const running = inject('calsyncTestServices');

/** A stand-in for Testcontainers that records what it was asked to start. */
function fakeContainers() {
  const asked: Array<{ postgres: boolean; redis: boolean }> = [];
  const start = async (need: { postgres: boolean; redis: boolean }) => {
    asked.push(need);
    return {
      databaseUrl: need.postgres ? 'postgres://container/postgres' : undefined,
      redisUrl: need.redis ? 'redis://container:6379' : undefined,
      stop: async () => {},
    };
  };
  return { asked, start };
}

describe('resolveTestServices', () => {
  it('takes TEST_DATABASE_URL and TEST_REDIS_URL first, without probing or starting anything', async () => {
    const containers = fakeContainers();
    const services = await resolveTestServices({
      env: { TEST_DATABASE_URL: 'postgres://given/db', TEST_REDIS_URL: 'redis://given:1' },
      local: { databaseUrl: running.databaseUrl, redisUrl: running.redisUrl },
      startContainers: containers.start,
    });
    expect(services).toMatchObject({ databaseUrl: 'postgres://given/db', redisUrl: 'redis://given:1' });
    expect(services.sources).toEqual({ postgres: 'env', redis: 'env' });
    expect(containers.asked).toEqual([]);
  });

  it('uses the servers on the local ports when the variables are not set', async () => {
    const containers = fakeContainers();
    const services = await resolveTestServices({
      env: {},
      local: { databaseUrl: running.databaseUrl, redisUrl: running.redisUrl },
      startContainers: containers.start,
    });
    expect(services).toMatchObject({ databaseUrl: running.databaseUrl, redisUrl: running.redisUrl });
    expect(services.sources).toEqual({ postgres: 'local', redis: 'local' });
    expect(containers.asked).toEqual([]);
  });

  it('starts a container only for what neither a variable nor a local server provides', async () => {
    const containers = fakeContainers();
    const services = await resolveTestServices({
      env: { TEST_REDIS_URL: 'redis://given:1' },
      local: { databaseUrl: await closedPortUrl('postgres'), redisUrl: running.redisUrl },
      startContainers: containers.start,
    });
    expect(containers.asked).toEqual([{ postgres: true, redis: false }]);
    expect(services).toMatchObject({ databaseUrl: 'postgres://container/postgres', redisUrl: 'redis://given:1' });
    expect(services.sources).toEqual({ postgres: 'container', redis: 'env' });
  });
});

describe('the local probes', () => {
  it('say yes to a server that answers and no to a closed port', async () => {
    expect(await postgresAnswers(running.databaseUrl)).toBe(true);
    expect(await redisAnswers(running.redisUrl)).toBe(true);
    expect(await postgresAnswers(await closedPortUrl('postgres'))).toBe(false);
    expect(await redisAnswers(await closedPortUrl('redis'))).toBe(false);
  });

  it('says no to a PostgreSQL that refuses the user', async () => {
    const url = new URL(running.databaseUrl);
    url.username = 'calsync_no_such_role';
    expect(await postgresAnswers(url.toString())).toBe(false);
  });
});
