import { drizzle } from 'drizzle-orm/postgres-js';
import type { TransactionSql } from 'postgres';
import { type Database, DB_CASING, type PgClient } from './client.ts';
import * as schema from './schema/index.ts';

/**
 * A Drizzle database bound to one transaction, as `transaction()` hands it out. `$client` is that transaction's
 * connection, which `queryRows`, `queryRow` and `execute` run their prepared statements on. It has no `transaction`
 * of its own: nesting is not offered.
 */
export type Transaction = Omit<Database, 'transaction' | '$client'> & { readonly $client: Pick<PgClient, 'unsafe'> };

export interface TransactionOptions {
  /** `begin read only`: PostgreSQL refuses writes, and may run it as a read-only snapshot. */
  readOnly?: boolean;
}

/**
 * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Unlike Drizzle's
 * `db.transaction`, the handle keeps the transaction's postgres.js connection as `tx.$client`, so `queryRows`,
 * `queryRow` and `execute` run on it without reaching into Drizzle's session.
 */
export async function transaction<T>(
  db: Database,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const pool = db.$client;
  let outcome: { value: T } | undefined;
  await pool.begin(options.readOnly ? 'read only' : 'read write', async (connection) => {
    outcome = { value: await work(databaseOn(pool, connection)) };
  });
  if (!outcome) throw new Error('the transaction ended without its work');
  return outcome.value;
}

/**
 * Drizzle over one transaction's connection. drizzle() points Drizzle's type parsers at `client.options`; a
 * postgres.js transaction shares its pool's parsers but does not carry `options`, so it gets the pool's (on which
 * createDb's drizzle() already set them: nothing changes). drizzle() types its client as a pool; the transaction
 * offers the part Drizzle calls (`unsafe`), and `Transaction` has no `transaction` that would call `begin`.
 */
function databaseOn(pool: PgClient, connection: TransactionSql): Transaction {
  const client = Object.assign(connection, { options: pool.options }) as unknown as PgClient;
  return drizzle({ client, schema, casing: DB_CASING });
}
