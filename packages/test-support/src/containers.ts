import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';

const HOW_TO =
  'Tests need real PostgreSQL and Redis. Either set TEST_DATABASE_URL and TEST_REDIS_URL ' +
  '(e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379), ' +
  'or run a Docker engine so that Testcontainers can start postgres:16 and redis:7.';

/** Starts the services that have no TEST_*_URL, with Testcontainers; fails with a message naming both ways. */
export async function startContainers(need: { postgres: boolean; redis: boolean }) {
  const stops: Array<() => Promise<unknown>> = [];
  try {
    let databaseUrl: string | undefined;
    let redisUrl: string | undefined;
    if (need.postgres) {
      const pg = await new PostgreSqlContainer('postgres:16').withUsername('postgres').withPassword('postgres').start();
      stops.push(() => pg.stop());
      databaseUrl = pg.getConnectionUri();
    }
    if (need.redis) {
      const redis = await new RedisContainer('redis:7').start();
      stops.push(() => redis.stop());
      redisUrl = redis.getConnectionUrl();
    }
    return { databaseUrl, redisUrl, stop: async () => void (await Promise.all(stops.map((s) => s()))) };
  } catch (error) {
    await Promise.allSettled(stops.map((s) => s()));
    throw new Error(`${HOW_TO}\nTestcontainers could not start them: ${(error as Error).message}`, { cause: error });
  }
}
