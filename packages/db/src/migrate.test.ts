import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrate } from './migrate.ts';

const server = inject('calsyncTestServices').databaseUrl;
const created: string[] = [];

function freshUrl(): string {
  const name = `calsync_test_mig_${randomBytes(4).toString('hex')}`;
  created.push(name);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function appliedMigrations(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    return row!.n;
  } finally {
    await sql.end();
  }
}

async function tablesOf(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ name: string }[]>`select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`;
    return rows.map((r) => r.name);
  } finally {
    await sql.end();
  }
}

afterAll(async () => {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  for (const name of created) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe('migrate', () => {
  it('creates a missing database, and running it twice is harmless', async () => {
    const url = freshUrl();
    expect(await migrate(url)).toEqual({ databaseCreated: true });
    const count = await appliedMigrations(url);
    expect(count).toBeGreaterThan(0);
    expect(await migrate(url)).toEqual({ databaseCreated: false });
    expect(await appliedMigrations(url)).toBe(count);
  });

  it('is harmless when several processes run it at once', async () => {
    const url = freshUrl();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(results.filter((r) => r.databaseCreated)).toHaveLength(1);
    // Every table, once: the same list as a database that one migrate made alone (so a new table needs no edit here).
    const alone = freshUrl();
    await migrate(alone);
    expect(await tablesOf(url)).toEqual(await tablesOf(alone));
    const once = await appliedMigrations(url);
    await migrate(url);
    expect(await appliedMigrations(url)).toBe(once);
  });
});
