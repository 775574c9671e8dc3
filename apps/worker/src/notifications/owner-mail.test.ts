import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertBooking,
  type SmtpSink,
  startSmtpSink,
  startTestNotifications,
} from '../../test/notifications-harness.ts';
import type { RunningWorker } from '../start-worker.ts';

const env = useTestEnv();
const OWNER = 'owner@example.com';
const ZONE = 'Europe/Berlin';
let smtp: SmtpSink;
let part: RunningWorker;
let agendaDay: Date;

/** The next 07:05 in Berlin, found by walking minutes (no zone arithmetic to get wrong). */
function nextBerlinMorning(): Date {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const t = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  while (format.format(t) !== '07:05') t.setTime(t.getTime() + 60_000);
  return t;
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  agendaDay = nextBerlinMorning();
  // The session three hours into that day, a pending request the day after.
  await insertBooking(env.sql, {
    uid: 'agenda-session',
    title: 'Morning coaching',
    start: new Date(agendaDay.getTime() + 3 * 3_600_000),
    attendees: [{ email: 'ada@example.com', name: 'Ada' }],
  });
  await insertBooking(env.sql, {
    uid: 'agenda-pending',
    title: 'First call <request>',
    status: 'pending',
    start: new Date(agendaDay.getTime() + 27 * 3_600_000),
    attendees: [{ email: 'bo@example.com', name: 'Bo' }],
  });
  // The owner's own subject line for alerts; every other file stays the built-in one.
  const templates = await mkdtemp(join(tmpdir(), 'calsync-templates-'));
  await writeFile(join(templates, 'alert.subject.txt'), 'ACTION NEEDED: {{summary}}\n');
  const shift = agendaDay.getTime() - Date.now();
  part = await startTestNotifications(
    env,
    { SMTP_URL: smtp.url, OWNER_EMAIL: OWNER, OWNER_TIMEZONE: ZONE, REMINDER_OFFSETS: '', TEMPLATES_DIR: templates },
    { now: () => new Date(Date.now() + shift) },
  );
});
afterAll(async () => {
  await part?.close();
  await smtp?.close();
});

const ownerMails = (subject: RegExp) => smtp.mails.filter((m) => m.to === OWNER && subject.test(m.subject));

describe('owner e-mails', () => {
  it('send the daily agenda at 07:00 in OWNER_TIMEZONE: the day’s sessions and pending requests', async () => {
    const [agenda] = await waitUntil('the agenda', () => {
      const mails = ownerMails(/^Your agenda/);
      return mails.length > 0 && mails;
    });
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(agendaDay);
    expect(agenda!.subject).toBe(`Your agenda for ${date}: 1 sessions, 1 pending`);
    expect(agenda!.text).toContain('- 10:05  Morning coaching with Ada');
    expect(agenda!.text).toContain('First call <request> with Bo');
    expect(agenda!.html).toContain('First call &lt;request&gt; with Bo');
  });

  it('alert once per problem while it lasts, and say when it is resolved', async () => {
    await env.sql`
      insert into cal_sync_runs (kind, trigger, status, finished_at, error)
      values ('reconcile', 'schedule', 'failed', now(), 'Cal.com answered 500')`;
    await waitUntil('the sync alert', () => ownerMails(/the last reconcile failed/).length === 1);
    // A second problem found by a later look, which saw the first one still open and did not mail it again.
    await env.sql`
      insert into cal_webhook_events (id, trigger_event, raw_body, status, error)
      values (${'f'.repeat(64)}, 'BOOKING_CREATED', '{}', 'failed', 'no uid')`;
    await waitUntil('the delivery alert', () => ownerMails(/webhook deliveries failed/).length === 1);
    const [alert] = ownerMails(/the last reconcile failed/);
    expect(alert!.subject).toBe('ACTION NEEDED: the last reconcile failed');
    expect(alert!.text).toContain('Cal.com answered 500');

    await env.sql`
      insert into cal_sync_runs (kind, trigger, status, finished_at)
      values ('reconcile', 'manual', 'succeeded', now() + interval '1 second')`;
    await env.sql`update cal_webhook_events set status = 'processed'`;
    await waitUntil('both resolved', () => ownerMails(/^calsync resolved/).length === 2);
    expect(ownerMails(/the last reconcile failed/).map((m) => m.subject)).toEqual([
      'ACTION NEEDED: the last reconcile failed',
      'calsync resolved: the last reconcile failed',
    ]);
    expect(ownerMails(/webhook deliveries failed/)).toHaveLength(2);
  });
});
