import { randomBytes } from 'node:crypto';
import { createDb, type Database, type PgClient } from '@calsync/db';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { withDatabase } from './global-setup.ts';

/** What one test file gets: its own freshly migrated database and its own Redis key prefix. */
export interface TestEnv {
  /** URL of this file's own database. */
  databaseUrl: string;
  redisUrl: string;
  /** Unique per test file: pass it as the BullMQ `prefix` and to everything else that writes Redis keys. */
  redisPrefix: string;
  sql: PgClient;
  db: Database;
  redis: Redis;
  /** Drops the database and this prefix's Redis keys. */
  cleanup: () => Promise<void>;
}

/** Clones the migrated template into a new database and opens clients on it. */
export async function createTestEnv(): Promise<TestEnv> {
  const services = inject('calsyncTestServices');
  const id = randomBytes(5).toString('hex');
  const database = `calsync_test_${id}`;
  const admin = postgres(withDatabase(services.databaseUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${database}" template "${services.templateDatabase}"`);
  } finally {
    await admin.end();
  }
  const databaseUrl = withDatabase(services.databaseUrl, database);
  const { client: sql, db } = createDb(databaseUrl, { max: 5, applicationName: 'calsync-test' });
  const redisPrefix = `calsync-test-${id}`;
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const cleanup = async () => {
    await sql.end({ timeout: 5 });
    await deleteKeys(redis, `${redisPrefix}*`);
    redis.disconnect();
    const dropper = postgres(withDatabase(services.databaseUrl, 'postgres'), { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`drop database if exists "${database}" with (force)`);
    } finally {
      await dropper.end();
    }
  };
  return { databaseUrl, redisUrl: services.redisUrl, redisPrefix, sql, db, redis, cleanup };
}

/** The connections service-kit's `Resources` holds. */
export type TestResources = Pick<TestEnv, 'sql' | 'db' | 'redis' | 'redisUrl' | 'redisPrefix'>;

/**
 * `env`'s connections in the shape of service-kit's `Resources`, to build an app or a worker on a test file's
 * services. Picked when called, so a variant such as `{ ...env, redis: deadRedis }` keeps its override.
 */
export function resourcesOf(env: TestResources): TestResources {
  return { sql: env.sql, db: env.db, redis: env.redis, redisUrl: env.redisUrl, redisPrefix: env.redisPrefix };
}

/**
 * Registers beforeAll/afterAll in the calling test file and returns its environment,
 * filled in before the first test runs.
 */
export function useTestEnv(): TestEnv {
  const env = {} as TestEnv;
  beforeAll(async () => {
    Object.assign(env, await createTestEnv());
  }, 60_000);
  afterAll(async () => {
    await env.cleanup?.();
  }, 60_000);
  return env;
}

async function deleteKeys(redis: Redis, pattern: string) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
