import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from '@calsync/test-support';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';

const services = inject('calsyncTestServices');
const database = `calsync_test_start_${randomBytes(4).toString('hex')}`;
const mainFile = fileURLToPath(new URL('./main.ts', import.meta.url));

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

describe('pnpm start (apps/server/src/main.ts)', () => {
  it('creates and migrates a missing database, becomes ready, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [mainFile], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: serverUrl(database),
        REDIS_URL: services.redisUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const ready = await waitForHttp(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 20_000 });
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
      const admin = postgres(serverUrl(database), { max: 1, onnotice: () => {} });
      const tables = await admin`select table_name from information_schema.tables where table_schema = 'public'`;
      await admin.end();
      expect(tables.map((t) => t.table_name)).toContain('cal_bookings');
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\nprocess output:\n${output}`);
    }
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  });

  it('refuses a bad configuration with a message naming the variable', async () => {
    const child = spawn(process.execPath, [mainFile], {
      env: { PATH: process.env.PATH, PORT: 'eighty', CAL_SYNC_EVERY: 'often' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('CAL_SYNC_EVERY');
  });
});
