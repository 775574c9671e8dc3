import { fileURLToPath } from 'node:url';
import { checkThenTerminate, freePort, spawnNode, useTestEnv, waitForHttp, waitUntil } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';

const env = useTestEnv();
const mainFile = fileURLToPath(new URL('./main.js', import.meta.url));
const WORKER_STARTED = 'CAL_API_KEY is not set: syncs from Cal.com are off'; // logged while the worker starts

/** `pnpm start` on a free port, logging at info (the start-up steps show in its output). */
async function startCalsync() {
  const port = await freePort();
  const calsync = spawnNode(mainFile, {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  });
  return { port, calsync };
}

describe('pnpm start: start-up order', () => {
  it('listens (and answers /healthz) before it sets up the worker’s queues and schedules', async () => {
    const { port, calsync } = await startCalsync();
    const exitCode = await checkThenTerminate(calsync, async () => {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`);
      await waitUntil('the worker to start', () => calsync.output().includes(WORKER_STARTED));
      const output = calsync.output();
      expect(output.indexOf('Server listening at')).toBeGreaterThan(-1);
      expect(output.indexOf('Server listening at')).toBeLessThan(output.indexOf(WORKER_STARTED));
    });
    expect(exitCode, calsync.output()).toBe(0);
  });

  it('exits 0 on SIGTERM while it is still starting (the API and the worker not yet loaded)', async () => {
    const { port, calsync } = await startCalsync();
    // Terminated as soon as it listens: the rest of the start is in progress or not yet begun.
    const exitCode = await checkThenTerminate(calsync, async () => {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    });
    expect(exitCode, calsync.output()).toBe(0);
    expect(calsync.output()).not.toContain('could not start');
  });
});
