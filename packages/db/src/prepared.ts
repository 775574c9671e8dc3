import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PostgresJsSession } from 'drizzle-orm/postgres-js';
import { type Database, DB_CASING, type Sql, type Transaction } from './client.ts';

const dialect = new PgDialect({ casing: DB_CASING }); // as the Drizzle database compiles, see createDb

/**
 * Runs a statement of fixed text as a named prepared statement of its connection (postgres.js `prepare: true`).
 * Drizzle's `execute` sends every statement unprepared, and postgres.js then first asks PostgreSQL for the parameter
 * types: two round trips and a fresh plan each time. Prepared, it is one round trip and PostgreSQL may keep the plan.
 * Only for hot statements whose text never varies (values go in parameters): each distinct text stays prepared on
 * its connection.
 */
export async function executePrepared<Row>(db: Database | Transaction, query: SQL): Promise<Row[]> {
  const { client } = db._.session as unknown as PostgresJsSession<Sql, Record<string, never>, never>;
  const { sql, params } = dialect.sqlToQuery(query);
  return (await client.unsafe(sql, params as never[], { prepare: true })) as unknown as Row[];
}
