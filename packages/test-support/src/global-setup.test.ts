import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dropStaleTemplates, withDatabase } from './global-setup.ts';

const services = inject('calsyncTestServices');
const admin = postgres(withDatabase(services.databaseUrl, 'postgres'), { max: 1, onnotice: () => {} });
const id = randomBytes(4).toString('hex');
const stale = `calsync_test_tpl_stale${id}`;
const busy = `calsync_test_tpl_busy${id}`;
afterAll(async () => {
  for (const name of [stale, busy]) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

async function exists(name: string): Promise<boolean> {
  return (await admin`select 1 from pg_database where datname = ${name}`).length === 1;
}

describe('dropStaleTemplates', () => {
  it('drops the templates of earlier migrations, keeps the current one and skips one in use', async () => {
    for (const name of [stale, busy]) {
      await admin.unsafe(`create database "${name}"`);
      await admin.unsafe(`alter database "${name}" with is_template true`);
    }
    const user = postgres(withDatabase(services.databaseUrl, busy), { max: 1, onnotice: () => {} });
    try {
      await user`select 1`; // holds a connection: the database cannot be dropped
      await dropStaleTemplates(admin, services.templateDatabase);
      expect(await exists(stale)).toBe(false);
      expect(await exists(busy)).toBe(true);
      expect(await exists(services.templateDatabase)).toBe(true);
    } finally {
      await user.end();
    }
  });
});
