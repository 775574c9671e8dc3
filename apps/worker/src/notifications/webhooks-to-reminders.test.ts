import { buildDelivery, type SimAttendee, SimStore, sendDelivery } from '@calsync/cal-sim';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  notificationRows,
  type SmtpSink,
  settledRows,
  startSmtpSink,
  startTestNotifications,
} from '../../test/notifications-harness.ts';
import { startPipeline, TEST_SECRET, waitForEvents } from '../../test/pipeline-harness.ts';
import type { RunningWorker } from '../start-worker.ts';

// Reminders follow what Cal.com's own deliveries make of the rows: real ingest, the real webhook worker, real SMTP.
const env = useTestEnv();
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
let smtp: SmtpSink;
let part: RunningWorker;

beforeAll(async () => {
  pipeline = await startPipeline(env);
  smtp = await startSmtpSink();
  part = await startTestNotifications(env, { SMTP_URL: smtp.url, REMINDER_OFFSETS: '4s' });
});
afterAll(async () => {
  await part?.close();
  await pipeline?.close();
  await smtp?.close();
});

const person = (name: string, timeZone: string, locale: string): SimAttendee => ({
  name,
  email: `${name.toLowerCase()}@example.com`,
  timeZone,
  locale,
  phoneNumber: null,
  absent: false,
});

async function deliver(store: SimStore, trigger: string, uid: string) {
  const delivery = buildDelivery(trigger, store.toSimBooking(uid));
  const answer = await sendDelivery(pipeline.url, delivery, TEST_SECRET);
  expect(answer.status).toBe(202);
  await waitForEvents(env, [JSON.parse(answer.body).id]);
}

describe('reminders from Cal.com deliveries', () => {
  it('a BOOKING_RESCHEDULED moves the reminder to the new uid; a BOOKING_CANCELLED removes it', async () => {
    const store = new SimStore({ bookings: 0, seed: 18 });
    const inSeconds = (s: number) => new Date(Date.now() + s * 1_000).toISOString();
    const moved = store.createBooking({ start: inSeconds(10), attendee: person('Ravi', 'Asia/Kolkata', 'en') });
    const dropped = store.createBooking({ start: inSeconds(10), attendee: person('Mia', 'Europe/Berlin', 'de') });
    await deliver(store, 'BOOKING_CREATED', moved.uid);
    await deliver(store, 'BOOKING_CREATED', dropped.uid);
    await waitUntil('both reminders scheduled', async () => {
      const rows = [...(await notificationRows(env.sql, moved.uid)), ...(await notificationRows(env.sql, dropped.uid))];
      return rows.length === 2;
    });

    const fresh = store.rescheduleBooking(moved.uid, inSeconds(14));
    await deliver(store, 'BOOKING_RESCHEDULED', fresh.uid);
    store.cancelBooking(dropped.uid);
    await deliver(store, 'BOOKING_CANCELLED', dropped.uid);

    const [mail] = await waitUntil('the moved reminder', () => smtp.mails.length > 0 && smtp.mails);
    expect(mail!.to).toBe('ravi@example.com');
    expect(mail!.arrivedAt).toBeGreaterThanOrEqual(Date.parse(fresh.start) - 4_000);
    expect(mail!.text).toContain('(Asia/Kolkata)');
    expect(mail!.text).toContain(`https://app.cal.com/reschedule/${fresh.uid}?rescheduledBy=ravi%40example.com`);
    expect(await settledRows(env.sql, moved.uid)).toMatchObject([{ status: 'cancelled' }]);
    expect(await settledRows(env.sql, fresh.uid)).toMatchObject([{ status: 'sent' }]);
    expect(await settledRows(env.sql, dropped.uid)).toMatchObject([{ status: 'cancelled' }]);
    expect(smtp.mails.map((m) => m.to)).toEqual(['ravi@example.com']);
  });
});
