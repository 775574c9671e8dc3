import { fileURLToPath } from 'node:url';
import { checkThenTerminate, freePort, spawnNode, useTestEnv, waitForHttp } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';

const env = useTestEnv();
const mainFile = fileURLToPath(new URL('./main.js', import.meta.url));

describe('pnpm --filter @calsync/api start (src/main.js)', () => {
  it('serves the API alone, refuses admin routes without ADMIN_TOKEN, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const calsync = spawnNode(mainFile, {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const exitCode = await checkThenTerminate(calsync, async () => {
      const base = `http://127.0.0.1:${port}`;
      const ready = await waitForHttp(`${base}/readyz`, { timeoutMs: 20_000 });
      expect(await ready.json()).toEqual({ status: 'ready' }); // the details are for an admin only
      const eventTypes = await fetch(`${base}/functions/v1/cal-event-types`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(await eventTypes.json()).toEqual({ event_types: [] });
      const bookings = await fetch(`${base}/cal-bookings`);
      expect(bookings.status).toBe(503);
      expect(calsync.output()).toContain('ADMIN_TOKEN is not set');
    });
    expect(exitCode, calsync.output()).toBe(0);
  });
});
