import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { checkThenTerminate, freePort, spawnNode, waitForHttp } from '@calsync/test-support';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';

const services = inject('calsyncTestServices');
const database = `calsync_test_start_${randomBytes(4).toString('hex')}`;
const mainFile = fileURLToPath(new URL('./main.js', import.meta.url));

function serverUrl(name: string) {
  const url = new URL(services.databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  const admin = postgres(serverUrl('postgres'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.end();
});

describe('pnpm start (apps/server/src/main.js)', () => {
  it('creates and migrates a missing database, becomes ready, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const calsync = spawnNode(mainFile, {
      DATABASE_URL: serverUrl(database),
      REDIS_URL: services.redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const exitCode = await checkThenTerminate(calsync, async () => {
      const ready = await waitForHttp(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 20_000 });
      expect(await ready.json()).toEqual({ status: 'ready' }); // the checks are for an admin only
      const admin = postgres(serverUrl(database), { max: 1, onnotice: () => {} });
      const tables = await admin`select table_name from information_schema.tables where table_schema = 'public'`;
      await admin.end();
      expect(tables.map((t) => t.table_name)).toContain('cal_bookings');
    });
    expect(exitCode, calsync.output()).toBe(0);
  });

  it('refuses a bad configuration with a message naming the variable', async () => {
    const calsync = spawnNode(mainFile, { PORT: 'eighty', CAL_SYNC_EVERY: 'often' });
    const code = await calsync.exited;
    expect(code).toBe(1);
    expect(calsync.stderr()).toContain('PORT');
    expect(calsync.stderr()).toContain('CAL_SYNC_EVERY');
  });
});
