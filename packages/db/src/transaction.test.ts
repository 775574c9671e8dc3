import { useTestEnv } from '@calsync/test-support';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRow, queryRows } from './query.ts';
import { calEventTypes } from './schema/index.ts';
import { transaction } from './transaction.ts';

const env = useTestEnv();

describe('transaction', () => {
  it("runs Drizzle's builder and execute and queryRow/queryRows on one connection, committed when the work resolves", async () => {
    const result = await transaction(env.db, async (tx) => {
      await tx.insert(calEventTypes).values({ calEventTypeId: '9001', slug: 'tx-commit', title: 'Commit', length: 30 });
      const seen = await queryRow<{ slug: string }>(
        tx,
        sql`select ${calEventTypes.slug} from ${calEventTypes} where ${calEventTypes.calEventTypeId} = ${'9001'}`,
      );
      const [viaDrizzle] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      const [viaQueryRows] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
      return { seen, same: viaDrizzle?.pid === viaQueryRows?.pid };
    });
    expect(result).toEqual({ seen: { slug: 'tx-commit' }, same: true });
    const [stored] = await env.db.select().from(calEventTypes).where(eq(calEventTypes.calEventTypeId, '9001'));
    expect(stored?.slug).toBe('tx-commit');
  });

  it('rolls back when the work throws', async () => {
    await expect(
      transaction(env.db, async (tx) => {
        await tx
          .insert(calEventTypes)
          .values({ calEventTypeId: '9002', slug: 'tx-rollback', title: 'Gone', length: 30 });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await env.db.select().from(calEventTypes).where(eq(calEventTypes.calEventTypeId, '9002'))).toEqual([]);
  });

  it('refuses writes when read only', async () => {
    await expect(
      transaction(
        env.db,
        (tx) => tx.insert(calEventTypes).values({ calEventTypeId: '9003', slug: 'ro', title: 'No', length: 30 }),
        { readOnly: true },
      ),
    ).rejects.toMatchObject({ cause: { code: '25006' } });
  });
});
