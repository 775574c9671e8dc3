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

/** A postgres.js pool and the Drizzle database over it. Close with `sql.end()`. */
export function createDb(url: string, options: DbOptions = {}) {
  const sql = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeout ?? 10,
    idle_timeout: 60,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'calsync' },
  });
  const db = drizzle({ client: sql, schema, casing: DB_CASING });
  return { sql, db };
}

export type Database = ReturnType<typeof createDb>['db'];
export type Sql = ReturnType<typeof createDb>['sql'];
/** A Drizzle transaction handle, as passed to `db.transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
