import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export interface DbOptions {
  /** Pool size (postgres.js `max`). */
  max?: number;
  /** Seconds to wait for a connection before failing. */
  connectTimeout?: number;
  /** Application name shown in `pg_stat_activity`. */
  applicationName?: string;
}

/** How Drizzle names columns: snake_case in SQL for camelCase in TypeScript. */
export const DB_CASING = 'snake_case';

/**
 * The Drizzle database over a postgres.js pool. Application code uses `db` (see DEVELOPERS.md, "Reaching the
 * database"); `client` (the pool, also `db.$client`) is for this package, tests and benchmarks. Close with
 * `client.end()`.
 */
export function createDb(url: string, options: DbOptions = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeout ?? 10,
    idle_timeout: 60,
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? 'calsync',
      // Every execution of a prepared statement is planned for its parameters. PostgreSQL's default keeps a generic
      // plan after five runs; one made while a table was small reads it whole, and keeps doing so after the table
      // grew (a first reconciliation grows cal_booking_attendees by thousands of rows a minute, faster than
      // autovacuum analyses it: attendees.test.ts). Planning costs well under a millisecond for calsync's statements.
      plan_cache_mode: 'force_custom_plan',
    },
  });
  const db = drizzle({ client, schema, casing: DB_CASING });
  return { client, db };
}

export type Database = ReturnType<typeof createDb>['db'];
/** The postgres.js pool under a `Database`. */
export type PgClient = ReturnType<typeof createDb>['client'];
