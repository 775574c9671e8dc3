import { metricsRegistry } from '@calsync/service-kit';
import { closedPortUrl, parsePrometheusText, sampleValue, useTestEnv, waitUntil } from '@calsync/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  insertBooking,
  notificationRows,
  type SmtpSink,
  settledRows,
  startSmtpSink,
  startTestNotifications,
} from '../../test/notifications-harness.ts';
import type { RunningWorker } from '../start-worker.ts';

const env = useTestEnv();
// Each test closes what it started: parts on one test file share the tick queue, so a part left running would take
// the next test's ticks with its own SMTP server.
let open: Array<RunningWorker | SmtpSink> = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

const inSeconds = (s: number) => new Date(Date.now() + s * 1_000);
// Fast retries so that the whole ladder (3 tries) runs inside the test.
const policy = { maxAttempts: 3, retryBaseMs: 300, retryMaxMs: 1_000 };

describe('when SMTP fails', () => {
  it('a refused recipient is retried, then shown failed, while the other attendees get theirs', async () => {
    const smtp = await startSmtpSink({ refuse: (address) => address === 'bounce@example.com' });
    open.push(smtp);
    open.push(await startTestNotifications(env, { SMTP_URL: smtp.url, REMINDER_OFFSETS: '2s' }, { policy }));
    await insertBooking(env.sql, { uid: 'refused', start: inSeconds(4), attendees: [{ email: 'bounce@example.com' }] });
    await insertBooking(env.sql, { uid: 'fine', start: inSeconds(4), attendees: [{ email: 'fine@example.com' }] });

    const [failed] = await waitUntil('the refused reminder to fail', async () => {
      const rows = await notificationRows(env.sql, 'refused');
      return rows[0]?.status === 'failed' && rows;
    });
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed!.error).toMatch(/^550 .*mailbox unavailable/);
    expect(smtp.recipientsTried.filter((r) => r === 'bounce@example.com')).toHaveLength(3);
    expect(smtp.mails.map((m) => m.to)).toEqual(['fine@example.com']);
    expect(await settledRows(env.sql, 'fine')).toMatchObject([{ status: 'sent', attempts: 1 }]);
    const samples = parsePrometheusText(await metricsRegistry.metrics());
    const emails = (outcome: string) => sampleValue(samples, 'calsync_emails_total', { kind: 'reminder', outcome });
    expect([emails('sent'), emails('retry'), emails('failed')]).toEqual([1, 2, 1]);
  });

  it('a server that is down is retried, then every message is shown failed with the reason', async () => {
    const down = await startTestNotifications(
      env,
      { SMTP_URL: (await closedPortUrl('redis')).replace('redis:', 'smtp:'), REMINDER_OFFSETS: '2s' },
      { policy },
    );
    open.push(down);
    await insertBooking(env.sql, {
      uid: 'smtp-down',
      start: inSeconds(4),
      attendees: [{ email: 'later@example.com' }],
    });
    const [row] = await waitUntil('the reminder to fail', async () => {
      const rows = await notificationRows(env.sql, 'smtp-down');
      return rows[0]?.status === 'failed' && rows;
    });
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row!.error).toContain('ECONNREFUSED');
  });

  it('a failed message goes out once it is retried (what the dashboard’s retry does)', async () => {
    const smtp = await startSmtpSink();
    open.push(smtp);
    open.push(await startTestNotifications(env, { SMTP_URL: smtp.url, REMINDER_OFFSETS: '2s' }, { policy }));
    await env.sql`
      update notifications set status = 'scheduled', attempts = 0, next_attempt_at = now()
      where booking_uid = 'smtp-down' and status = 'failed'`;
    await waitUntil('the retried reminder', () => smtp.mails.some((m) => m.to === 'later@example.com'));
    expect(await settledRows(env.sql, 'smtp-down')).toMatchObject([{ status: 'sent', error: null }]);
  });
});
