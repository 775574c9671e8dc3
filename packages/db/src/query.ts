import type { SQL } from 'drizzle-orm';
import type { Database } from './client.ts';
import type { Transaction } from './transaction.ts';

/**
 * Runs a Drizzle `sql` statement and returns its rows as `Row`. Write table and column names as Drizzle objects
 * (`${calBookings}`, `${calBookings.status}`) so that a renamed column fails typecheck. `Row` must say what
 * PostgreSQL sends: timestamps read this way are ISO-like strings (Drizzle turns postgres.js's date parsing off),
 * `bigint` columns strings, `json`/`jsonb` parsed values.
 */
export async function queryRows<Row extends object>(db: Database | Transaction, statement: SQL): Promise<Row[]> {
  const rows = await db.execute(statement);
  return rows as Row[];
}

/** `queryRows` for a statement of at most one row: that row, or undefined. */
export async function queryRow<Row extends object>(
  db: Database | Transaction,
  statement: SQL,
): Promise<Row | undefined> {
  const [row] = await queryRows<Row>(db, statement);
  return row;
}

/** Runs a Drizzle `sql` statement for its effect; returns how many rows it touched. */
export async function execute(db: Database | Transaction, statement: SQL): Promise<number> {
  const result = await db.execute(statement);
  return result.count;
}
