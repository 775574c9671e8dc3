import { calSyncRuns, calWebhookEvents } from '@calsync/db';
import { openWebhookQueue } from '@calsync/jobs';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Output } from './output.ts';
import { runCli } from './run-cli.ts';

const env = useTestEnv();

function capture(): Output & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(t), isTty: false, text: () => lines.join('\n') };
}

async function cli(...argv: string[]) {
  const output = capture();
  const vars = { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl };
  const code = await runCli(argv, { env: vars, output, redisPrefix: env.redisPrefix, pollMs: 50 });
  return { code, text: output.text() };
}

const failedId = 'f'.repeat(64);

describe('pnpm calsync', () => {
  it('exits 2 with the usage on a bad command line or configuration, 0 on --help', async () => {
    expect((await cli('--help')).code).toBe(0);
    for (const argv of [
      [],
      ['bogus'],
      ['sync'],
      ['sync', 'everything'],
      ['replay'],
      ['replay', 'abc'],
      ['status', '--what'],
    ]) {
      const { code, text } = await cli(...argv);
      expect([argv, code]).toEqual([argv, 2]);
      expect(text).toContain('Usage: pnpm calsync');
    }
    const output = capture();
    expect(await runCli(['status'], { env: { DATABASE_URL: 'mysql://nope' }, output })).toBe(2);
    expect(output.text()).toContain('DATABASE_URL');
  });

  it('migrate is idempotent', async () => {
    expect(await cli('migrate')).toMatchObject({ code: 0 });
  });

  it('status prints the health strip; exits 1 while deliveries have failed', async () => {
    const ok = await cli('status');
    expect(ok.code).toBe(0);
    expect(ok.text).toMatch(/failed deliveries\s+0/);
    expect(ok.text).toContain('budget used');
    await env.db.insert(calWebhookEvents).values({
      id: failedId,
      triggerEvent: 'BOOKING_CREATED',
      rawBody: '{"triggerEvent":"BOOKING_CREATED","payload":{}}',
      status: 'failed',
      error: 'boom',
    });
    const bad = await cli('status', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.text)).toMatchObject({ failedDeliveries: 1, webhooksLast24h: 1 });
  });

  it('replay re-queues one delivery or every failed one; an unknown id exits 1', async () => {
    expect((await cli('replay', 'e'.repeat(64))).code).toBe(1);
    expect((await cli('replay', failedId)).code).toBe(0);
    const [row] = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, failedId));
    expect(row?.status).toBe('received');
    const queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
    try {
      expect(await queue.getJob(failedId)).toBeDefined();
    } finally {
      await queue.close();
    }
    await env.db.update(calWebhookEvents).set({ status: 'failed' }).where(eq(calWebhookEvents.id, failedId));
    expect(await cli('replay', '--failed')).toMatchObject({ code: 0, text: expect.stringContaining('1 failed') });
  });

  it('sync follows its run to the end: exit 0 when it succeeds, 1 when it fails', async () => {
    const queued = await cli('sync', 'event-types', '--no-wait');
    expect(queued.code).toBe(0);
    const runId = /run ([0-9a-f-]{36})/.exec(queued.text)![1]!;

    // No worker here: play its part on the run row while the CLI watches.
    const following = cli('sync', 'event-types');
    await env.db
      .update(calSyncRuns)
      .set({ status: 'running', pages: 1, rowsCreated: 4 })
      .where(eq(calSyncRuns.id, runId));
    await new Promise((r) => setTimeout(r, 200));
    await env.db
      .update(calSyncRuns)
      .set({ status: 'succeeded', pages: 2, finishedAt: new Date() })
      .where(eq(calSyncRuns.id, runId));
    const done = await following;
    expect(done.code).toBe(0);
    expect(done.text).toContain(runId);
    expect(done.text).toMatch(/event_types_sync succeeded: 2 pages, 4 rows/);

    const second = cli('sync', 'bookings');
    const run = await waitUntil(
      'the bookings sync run',
      async () => (await env.db.select().from(calSyncRuns).where(eq(calSyncRuns.kind, 'bookings_sync')))[0],
    );
    await env.db
      .update(calSyncRuns)
      .set({ status: 'failed', error: 'Cal.com said no' })
      .where(eq(calSyncRuns.id, run.id));
    expect(await second).toMatchObject({ code: 1, text: expect.stringContaining('Cal.com said no') });
  });
});
