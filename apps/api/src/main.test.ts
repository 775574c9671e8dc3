import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, useTestEnv, waitForHttp } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';

const env = useTestEnv();
const mainFile = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('pnpm --filter @calsync/api start (src/main.ts)', () => {
  it('serves the API alone, refuses admin routes without ADMIN_TOKEN, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [mainFile], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
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
      const base = `http://127.0.0.1:${port}`;
      const ready = await waitForHttp(`${base}/readyz`, { timeoutMs: 20_000 });
      expect(await ready.json()).toMatchObject({ status: 'ready', queues: { webhooks: { waiting: 0 } } });
      const eventTypes = await fetch(`${base}/functions/v1/cal-event-types`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(await eventTypes.json()).toEqual({ event_types: [] });
      const bookings = await fetch(`${base}/cal-bookings`);
      expect(bookings.status).toBe(503);
      expect(output).toContain('ADMIN_TOKEN is not set');
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\nprocess output:\n${output}`);
    }
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  });
});
