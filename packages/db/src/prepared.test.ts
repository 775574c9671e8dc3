import { useTestEnv } from '@calsync/test-support';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { executePrepared } from './prepared.ts';

const env = useTestEnv();

describe('executePrepared', () => {
  it('runs a Drizzle statement with its parameters as a prepared statement of the transaction connection', async () => {
    const marker = `prepared-${Date.now()}`;
    const statement = sql`select ${marker}::text as marker, x.n from json_to_recordset(${JSON.stringify([
      { n: 1 },
      { n: 2 },
    ])}::json) as x(n int) order by x.n`;
    const { rows, prepared } = await env.db.transaction(async (tx) => {
      const first = await executePrepared<{ marker: string; n: number }>(tx, statement);
      const again = await executePrepared<{ marker: string; n: number }>(tx, statement);
      expect(again).toEqual(first);
      const statements = await executePrepared<{ statement: string }>(
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
