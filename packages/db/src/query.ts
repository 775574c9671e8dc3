import { type Name, type SQL, sql } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { type AnyPgColumn, PgDialect } from 'drizzle-orm/pg-core';
import { type Database, DB_CASING } from './client.ts';
import type { Transaction } from './transaction.ts';

const dialect = new PgDialect({ casing: DB_CASING }); // as the Drizzle database compiles, see createDb
const casing = new CasingCache(DB_CASING);

/**
 * A column's name alone (`"next_attempt_at"`), for where SQL takes no table qualifier: an INSERT's column list,
 * `ON CONFLICT (...)`, the left side of `SET col = ...`, `excluded.col`. `${column}` writes it qualified
 * (`"notifications"."next_attempt_at"`), and `sql.identifier(column.name)` would write the TypeScript key
 * (`"nextAttemptAt"`): Drizzle applies the snake_case casing only when it compiles a statement.
 */
export function columnName(column: AnyPgColumn): Name {
  return sql.identifier(casing.getColumnCasing(column));
}

/**
 * Runs a Drizzle `sql` statement and returns its rows as `Row`. Write table and column names as Drizzle objects
 * (`${calBookings}`, `${calBookings.status}`) so that a renamed column fails typecheck; values are parameters
 * (`${sql.param(array)}` for a PostgreSQL array: a bare array becomes a list). `Row` must say what PostgreSQL
 * sends: timestamps are strings (Drizzle turns postgres.js's date parsing off), `bigint` strings, `json`/`jsonb`
 * parsed values.
 *
 * One round trip: the statement runs as a named prepared statement of its connection, as postgres.js's own
 * templates do. Drizzle's `db.execute` sends it unprepared, and postgres.js then first asks PostgreSQL for the
 * parameter types: two round trips and a fresh plan each time (`query.test.ts` counts them). In a transaction, pass
 * the handle `transaction()` gives: it carries the transaction's connection.
 */
export async function queryRows<Row extends object>(db: Database | Transaction, statement: SQL): Promise<Row[]> {
  return await runPrepared<Row>(db, statement);
}

/** `queryRows` for a statement of at most one row: that row, or undefined. */
export async function queryRow<Row extends object>(
  db: Database | Transaction,
  statement: SQL,
): Promise<Row | undefined> {
  const [row] = await runPrepared<Row>(db, statement);
  return row;
}

/** Runs a Drizzle `sql` statement for its effect (one round trip, as `queryRows`); returns how many rows it touched. */
export async function execute(db: Database | Transaction, statement: SQL): Promise<number> {
  return (await runPrepared(db, statement)).count;
}

async function runPrepared<Row extends object>(db: Database | Transaction, statement: SQL) {
  // A handle from Drizzle's own db.transaction() type-checks nowhere here, but say so plainly at run time as well.
  if (!db.$client) throw new Error("queryRows needs createDb()'s db or a transaction() handle from @calsync/db");
  const { sql, params } = dialect.sqlToQuery(statement);
  return await db.$client.unsafe<Row[]>(sql, params as never[], { prepare: true });
}
