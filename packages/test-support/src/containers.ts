import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';

const HOW_TO =
  'Tests need real PostgreSQL and Redis, and none answered on 127.0.0.1:5432 (user postgres) / 127.0.0.1:6379. ' +
  'Start them there (scripts/services.sh does), or set TEST_DATABASE_URL and TEST_REDIS_URL, ' +
  'or run a Docker engine so that Testcontainers can start postgres:16 and redis:7.';

export interface ContainersNeeded {
  postgres: boolean;
  redis: boolean;
}

export interface StartedContainers {
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  stop: () => Promise<void>;
}

/** Starts the services found neither by TEST_*_URL nor locally, with Testcontainers; fails naming every way. */
export async function startContainers(need: ContainersNeeded): Promise<StartedContainers> {
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
