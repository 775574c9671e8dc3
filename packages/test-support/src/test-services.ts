import { Redis } from 'ioredis';
import postgres from 'postgres';
import { type ContainersNeeded, type StartedContainers, startContainers } from './containers.ts';

/** Where PostgreSQL and Redis usually listen on a developer's machine or a CI runner. */
export const LOCAL_SERVICES = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
} as const;

/** A local server that is there answers within milliseconds; one that is not is refused at once. */
const PROBE_TIMEOUT_S = 1;

export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
  /** How each was found: the TEST_* variable, the local default port, or a container. */
  sources: { postgres: ServiceSource; redis: ServiceSource };
  /** Stops what this resolution started (containers); a no-op for services that were already running. */
  stop: () => Promise<void>;
}

export type ServiceSource = 'env' | 'local' | 'container';

export interface ResolveOptions {
  /** TEST_DATABASE_URL and TEST_REDIS_URL are read from here. */
  env?: Record<string, string | undefined>;
  /** Tried when a variable is not set. */
  local?: { databaseUrl: string; redisUrl: string };
  /** The last resort (Testcontainers); replaceable so the order can be tested without Docker. */
  startContainers?: (need: ContainersNeeded) => Promise<StartedContainers>;
}

/**
 * PostgreSQL and Redis for the test suite, each from the first of: its TEST_* variable, the server on its default
 * local port (when it answers a query), a Testcontainers container.
 */
export async function resolveTestServices(options: ResolveOptions = {}): Promise<TestServices> {
  const env = options.env ?? process.env;
  const local = options.local ?? LOCAL_SERVICES;
  let databaseUrl = env.TEST_DATABASE_URL || undefined;
  let redisUrl = env.TEST_REDIS_URL || undefined;
  const sources = {
    postgres: (databaseUrl ? 'env' : 'container') as ServiceSource,
    redis: (redisUrl ? 'env' : 'container') as ServiceSource,
  };
  const [postgresHere, redisHere] = await Promise.all([
    databaseUrl ? false : postgresAnswers(local.databaseUrl),
    redisUrl ? false : redisAnswers(local.redisUrl),
  ]);
  if (postgresHere) {
    databaseUrl = local.databaseUrl;
    sources.postgres = 'local';
  }
  if (redisHere) {
    redisUrl = local.redisUrl;
    sources.redis = 'local';
  }
  let stop = async () => {};
  if (!databaseUrl || !redisUrl) {
    const started = await (options.startContainers ?? startContainers)({ postgres: !databaseUrl, redis: !redisUrl });
    databaseUrl ??= started.databaseUrl;
    redisUrl ??= started.redisUrl;
    stop = started.stop;
  }
  if (!databaseUrl || !redisUrl) throw new Error('test services were not resolved: Testcontainers returned no URL');
  return { databaseUrl, redisUrl, sources, stop };
}

/** True when a PostgreSQL server at `url` accepts the connection and runs a query (auth included). */
export async function postgresAnswers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: PROBE_TIMEOUT_S, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** True when a Redis server at `url` answers PING. */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_S * 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {}); // a refused connection is the answer "no", not an event to report
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
