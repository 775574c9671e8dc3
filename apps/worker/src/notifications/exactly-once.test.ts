import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killAndWait, useTestEnv, waitUntil } from '@calsync/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import {
  insertBooking,
  type SmtpSink,
  startSmtpSink,
  startTestNotifications,
} from '../../test/notifications-harness.ts';
import type { RunningWorker } from '../start-worker.ts';

const env = useTestEnv();
const BOOKINGS = 30;
const children: ChildProcess[] = [];
let smtp: SmtpSink | undefined;
let inProcess: RunningWorker | undefined;
afterAll(async () => {
  for (const child of children) await killAndWait(child);
  await inProcess?.close();
  await smtp?.close();
});

async function startChild(redisPrefix: string, smtpUrl: string): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('../../test/notifications-worker-process.ts', import.meta.url));
  const config = { databaseUrl: env.databaseUrl, redisUrl: env.redisUrl, redisPrefix, smtpUrl, offsets: '4s' };
  const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  await waitUntil('the child worker to start', () => {
    if (child.exitCode !== null) throw new Error(`child worker exited with ${child.exitCode}`);
    return output.includes('ready');
  });
  return child;
}

describe('exactly once', () => {
  it('with a worker killed between scheduling and sending, and two workers sending side by side', async () => {
    smtp = await startSmtpSink();
    const first = await startChild(env.redisPrefix, smtp.url);
    const start = new Date(Date.now() + 12_000);
    for (let i = 0; i < BOOKINGS; i++) {
      await insertBooking(env.sql, { uid: `once-${i}`, start, attendees: [{ email: `once-${i}@example.com` }] });
    }
    await waitUntil('the first worker to schedule every reminder', async () => {
      const [row] = await env.sql<
        { n: number }[]
      >`select count(*)::int as n from notifications where status = 'scheduled'`;
      return row?.n === BOOKINGS;
    });
    await killAndWait(first);
    expect(smtp.mails).toEqual([]);
    // As if the killed worker had claimed one row when it fell due and died: its lease runs out, then another takes it.
    await env.sql`
      update notifications set status = 'sending', attempts = 1, next_attempt_at = due_at + interval '500 milliseconds'
      where booking_uid = 'once-0'`;

    // Two workers with separate tick queues, so their ticks really overlap on the same rows.
    await startChild(`${env.redisPrefix}-other`, smtp.url);
    inProcess = await startTestNotifications(env, { SMTP_URL: smtp.url, REMINDER_OFFSETS: '4s' });

    await waitUntil(
      'every reminder to be sent',
      async () => {
        const [row] = await env.sql<
          { n: number }[]
        >`select count(*)::int as n from notifications where status = 'sent'`;
        return row?.n === BOOKINGS;
      },
      undefined,
      { timeoutMs: 30_000 },
    );
    // Once every row is `sent` nothing can claim it again, so what arrived is final.
    const recipients = smtp.mails.map((m) => m.to).sort();
    expect(recipients).toEqual(Array.from({ length: BOOKINGS }, (_, i) => `once-${i}@example.com`).sort());
    for (const mail of smtp.mails) expect(mail.arrivedAt).toBeGreaterThanOrEqual(start.getTime() - 4_000);
  });
});
