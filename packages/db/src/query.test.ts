import { openCountingRelay, useTestEnv } from '@calsync/test-support';
import { sql } from 'drizzle-orm';
import { alias, PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { createDb, DB_CASING } from './client.ts';
import { columnName, queryRows } from './query.ts';
import { notifications } from './schema/index.ts';
import { transaction } from './transaction.ts';

const env = useTestEnv();

describe('queryRows', () => {
  it('takes one round trip once its connection knows the statement, where Drizzle execute takes two', async () => {
    const relay = await openCountingRelay(env.databaseUrl);
    const { client, db } = createDb(relay.url, { max: 1 });
    try {
      const statement = (n: number) => sql`select ${n}::int as n, ${'hot'}::text as kind`;
      expect(await queryRows<{ n: number; kind: string }>(db, statement(1))).toEqual([{ n: 1, kind: 'hot' }]);

      relay.counter.writes = 0;
      expect(await queryRows<{ n: number }>(db, statement(2))).toEqual([{ n: 2, kind: 'hot' }]);
      const prepared = relay.counter.writes;

      relay.counter.writes = 0;
      await db.execute(statement(3));
      const unprepared = relay.counter.writes;

      expect({ prepared, unprepared }).toEqual({ prepared: 1, unprepared: 2 });
    } finally {
      await client.end({ timeout: 1 });
      relay.close();
    }
  });

  it("runs on the transaction's connection when given a transaction() handle", async () => {
    const marker = `prepared-${Date.now()}`;
    const statement = sql`select ${marker}::text as marker, x.n from json_to_recordset(${JSON.stringify([
      { n: 1 },
      { n: 2 },
    ])}::json) as x(n int) order by x.n`;
    const { rows, prepared } = await transaction(env.db, async (tx) => {
      const first = await queryRows<{ marker: string; n: number }>(tx, statement);
      const again = await queryRows<{ marker: string; n: number }>(tx, statement);
      expect(again).toEqual(first);
      const statements = await queryRows<{ statement: string }>(
        tx,
        sql`select statement from pg_prepared_statements where statement like ${'%json_to_recordset%x(n int)%'}`,
      );
      return { rows: first, prepared: statements };
    });
    expect(rows.map((row) => ({ ...row }))).toEqual([
      { marker, n: 1 },
      { marker, n: 2 },
    ]);
    expect(prepared).toHaveLength(1);
  });
});

describe('columnName', () => {
  it("writes the column's SQL name alone, as the database names it, for a table or an alias of it", () => {
    const n = alias(notifications, 'n');
    const statement = sql`update ${notifications} ${n} set ${columnName(n.nextAttemptAt)} = now()
      where ${n.dedupeKey} = ${'k'} returning ${columnName(notifications.dedupeKey)}`;
    expect(new PgDialect({ casing: DB_CASING }).sqlToQuery(statement).sql).toBe(
      `update "notifications" "n" set "next_attempt_at" = now()
      where "n"."dedupe_key" = $1 returning "dedupe_key"`,
    );
  });
});
