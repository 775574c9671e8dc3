import { createDb, type PgClient } from '@calsync/db';
import { type OwnRedis, startOwnRedis } from '@calsync/test-support';
import { withDatabase } from '@calsync/test-support/global-setup';
import { afterAll, beforeAll } from 'vitest';
import { type OwnPostgres, startOwnPostgres } from './own-servers.ts';

/** A PostgreSQL and a redis-server of the test file's own, so that a test may stop PostgreSQL under load. */
export interface OwnPostgresAndRedis {
  readonly postgres: OwnPostgres;
  readonly redis: OwnRedis;
  /** The `calsync` database on the own PostgreSQL (calsync creates and migrates it when it starts). */
  readonly databaseUrl: string;
  /** A small pool on that database for the test's own reads, closed after the file. */
  openSql(): PgClient;
}

/** Starts both servers before the file's tests and destroys them (and the pool) after. */
export function useOwnPostgresAndRedis(): OwnPostgresAndRedis {
  let postgres: OwnPostgres | undefined;
  let redis: OwnRedis | undefined;
  let sql: PgClient | undefined;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startOwnPostgres(), startOwnRedis()]);
  });
  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    await Promise.all([postgres?.destroy(), redis?.stop()]);
  });
  return {
    get postgres() {
      if (!postgres) throw new Error('own PostgreSQL not started yet');
      return postgres;
    },
    get redis() {
      if (!redis) throw new Error('own redis-server not started yet');
      return redis;
    },
    get databaseUrl() {
      return withDatabase(this.postgres.url, 'calsync');
    },
    openSql() {
      sql = createDb(this.databaseUrl, { max: 2 }).client;
      return sql;
    },
  };
}
