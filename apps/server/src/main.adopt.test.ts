import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createOriginalDatabase } from '@calsync/db/testing';
import { checkThenTerminate, freePort, spawnNode, waitForHttp, waitUntil } from '@calsync/test-support';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';

const services = inject('calsyncTestServices');
const database = `calsync_test_start_adopt_${randomBytes(4).toString('hex')}`;
const mainFile = fileURLToPath(new URL('./main.js', import.meta.url));

afterAll(async () => {
  const admin = postgres(services.databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.end();
});

describe('pnpm start on a database of the original edge functions', () => {
  it('adopts it, logs the report and queues the reconciliation of the adopted rows', async () => {
    const original = await createOriginalDatabase(services.databaseUrl, database, 200);
    const port = await freePort();
    const calsync = spawnNode(mainFile, {
      DATABASE_URL: original.url,
      REDIS_URL: services.redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    const exitCode = await checkThenTerminate(calsync, async () => {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 30_000 });
      const sql = postgres(original.url, { max: 1, onnotice: () => {} });
      try {
        const [run] = await sql<{ id: string }[]>`select id from cal_sync_runs where kind = 'reconcile'`;
        expect(run).toBeDefined();
        const [kept] = await sql`select count(*)::int as n from cal_bookings_original`;
        expect(kept!.n).toBe(200);
        const rejected = original.bookings.filter((b) => !b.expected.adopt);
        expect(calsync.output()).toContain('Adopted the original tables');
        for (const booking of rejected) expect(calsync.output()).toContain(booking.id);
        // Queued once the worker is up, which is after the listener (so after /healthz first answers).
        const queued = await logLine(() => calsync.output(), 'reconciliation queued');
        expect(queued).toContain(run!.id);
      } finally {
        await sql.end();
      }
    });
    expect(exitCode, calsync.output()).toBe(0);
  }, 60_000);
});

/** The first line of `output` that contains `text`, waiting for it up to 20 s. */
async function logLine(output: () => string, text: string): Promise<string> {
  return await waitUntil(`a log line with "${text}"`, () =>
    output()
      .split('\n')
      .find((l) => l.includes(text)),
  );
}
