import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { type Database, DB_CASING } from './client.ts';
import type { Transaction } from './transaction.ts';

const dialect = new PgDialect({ casing: DB_CASING }); // as the Drizzle database compiles, see createDb

/**
 * `queryRows` as a named prepared statement of the connection (postgres.js `prepare: true`): one round trip.
 * Drizzle's `execute` sends every statement unprepared, and postgres.js then first asks PostgreSQL for the parameter
 * types: two round trips and a fresh plan each time. Prepared, it is one round trip once the connection knows the
 * statement, and PostgreSQL may keep the plan. Only for hot statements whose text never varies (values go in
 * parameters): each distinct text stays prepared on its connection. In a transaction, `tx` must come from
 * `transaction()`, whose handle carries its connection.
 */
export async function executePrepared<Row extends object>(db: Database | Transaction, statement: SQL): Promise<Row[]> {
  // A handle from Drizzle's own db.transaction() type-checks nowhere here, but say so plainly at run time as well.
  if (!db.$client) throw new Error("executePrepared needs createDb()'s db or a transaction() handle from @calsync/db");
  const { sql, params } = dialect.sqlToQuery(statement);
  return await db.$client.unsafe<Row[]>(sql, params as never[], { prepare: true });
}
