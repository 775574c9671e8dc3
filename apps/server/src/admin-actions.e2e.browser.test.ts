import { buildDelivery, type CalSim, type SimBooking, sendDelivery, startCalSim } from '@calsync/cal-sim';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { launchTestChromium } from '@calsync/test-support/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocally, type ServerWithWorker, startServerWithWorker } from '../test/server-with-worker.ts';

const env = useTestEnv();
const ADMIN_TOKEN = 'manage-test-admin-token-0123456789';
const SECRET = 'manage-test-webhook-secret';
const WAIT = { timeout: 30_000 };

let sim: CalSim;
let server: ServerWithWorker;
let browser: Browser;
let baseUrl: string;

const POLL = { timeoutMs: 30_000, intervalMs: 100 };

beforeAll(async () => {
  sim = await startCalSim({ bookings: 3, seed: 5 });
  server = await startServerWithWorker(env, {
    CAL_API_URL: sim.url,
    CAL_API_KEY: sim.apiKey,
    CAL_WEBHOOK_SECRET: SECRET,
    ADMIN_TOKEN,
  });
  baseUrl = await listenLocally(server.app);
  browser = await launchTestChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sim?.close();
});

/** The booking reaches calsync the way Cal.com announces it: by a signed webhook through ingest and the worker. */
async function announced(booking: SimBooking, trigger: 'BOOKING_CREATED' | 'BOOKING_REQUESTED') {
  const answer = await sendDelivery(`${baseUrl}/cal-webhook`, buildDelivery(trigger, structuredClone(booking)), SECRET);
  expect(answer.status).toBe(202);
  await waitUntil('the booking in the mirror', () => rowOf(booking.uid), undefined, POLL);
}

async function rowOf(uid: string) {
  const [row] = await env.sql<Record<string, unknown>[]>`
    select b.status, b.cancellation_reason, b.start_time, b.end_time,
      (select array_agg(a.absent order by a.position) from cal_booking_attendees a where a.booking_uid = b.cal_uid) as absent
    from cal_bookings b where b.cal_uid = ${uid}`;
  return row;
}

/** Sends what Cal.com queued after the write, and waits until the worker has applied it. */
async function cameBack(uid: string, trigger: string) {
  await fetch(`${sim.url}/_sim/outbox/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ targetUrl: `${baseUrl}/cal-webhook`, secret: SECRET }),
  });
  await waitUntil(
    `${trigger} applied`,
    async () => {
      const [event] = await env.sql<{ status: string }[]>`
        select status from cal_webhook_events where booking_uid = ${uid} and trigger_event = ${trigger}
        order by received_at desc limit 1`;
      return event?.status;
    },
    (status) => status === 'processed',
    POLL,
  );
}

async function act(body: Record<string, unknown>) {
  const response = await fetch(`${baseUrl}/functions/v1/cal-bookings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { booking: Record<string, unknown> } };
}

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe('written back to Cal.com, then Cal.com’s webhook', () => {
  const cases = [
    { action: 'confirm', status: 'pending', trigger: 'BOOKING_CREATED', expected: { status: 'scheduled' } },
    {
      action: 'decline',
      status: 'pending',
      trigger: 'BOOKING_REJECTED',
      extra: { reason: 'Fully booked' },
      expected: { status: 'rejected' },
    },
    {
      action: 'cancel',
      status: 'accepted',
      trigger: 'BOOKING_CANCELLED',
      extra: { reason: 'Coach is ill' },
      expected: { status: 'cancelled', cancellation_reason: 'Coach is ill' },
    },
    {
      action: 'mark-absent',
      status: 'accepted',
      past: true,
      trigger: 'BOOKING_NO_SHOW_UPDATED',
      expected: { absent: [true] },
    },
  ] as const;

  for (const c of cases) {
    it(`${c.action}: the row from Cal.com's answer, and ${c.trigger} afterwards converges to the same row`, async () => {
      const past = 'past' in c && c.past;
      const booking = sim.store.createBooking({
        status: c.status,
        ...(past ? { start: hoursFromNow(-3), end: hoursFromNow(-2) } : {}),
      });
      await announced(booking, c.status === 'pending' ? 'BOOKING_REQUESTED' : 'BOOKING_CREATED');

      const extra: Record<string, unknown> =
        c.action === 'mark-absent'
          ? { attendees: [{ email: booking.attendee.email, absent: true }] }
          : { ...('extra' in c ? c.extra : {}) };
      const answer = await act({ action: c.action, uid: booking.uid, ...extra });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const afterAction = await rowOf(booking.uid);
      expect(afterAction).toMatchObject(c.expected);

      await cameBack(booking.uid, c.trigger);
      expect(await rowOf(booking.uid)).toEqual(afterAction);
    });
  }
});

describe('the booking page in a browser', () => {
  it('confirms a pending booking behind a confirmation step and shows the badge change', async () => {
    const booking = sim.store.createBooking({ status: 'pending', title: 'Browser confirm session' });
    await announced(booking, 'BOOKING_REQUESTED');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl}/admin/calendar`);
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('table.list', WAIT);

    await page.goto(`${baseUrl}/admin/calendar/bookings/${booking.uid}`);
    expect(await page.textContent('h1 .badge')).toBe('pending');
    const confirm = page.locator('details[data-action=confirm]');
    // The first click only opens the question; nothing is sent yet.
    await confirm.locator('summary').click();
    expect(sim.store.booking(booking.uid)?.status).toBe('pending');
    await confirm.locator('button[type=submit]').click();

    await page.waitForSelector('[data-result=done]', WAIT);
    expect(await page.textContent('[data-result=done]')).toBe('Confirmed in Cal.com.');
    expect(await page.textContent('h1 .badge')).toBe('scheduled');
    expect(sim.store.booking(booking.uid)?.status).toBe('accepted');
    expect(await page.textContent('section[aria-label="Audit trail"]')).toMatch(
      /confirm\s*accepted\s*by dashboard-session/,
    );
    expect(await page.locator('details[data-action=confirm]').count()).toBe(0);
    await page.close();
  });
});
