import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildDelivery, type CalSim, type SimAttendee, sendDelivery, startCalSim } from '@calsync/cal-sim';
import { calBookings, calSyncRuns, calWebhookEvents } from '@calsync/db';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { launchTestChromium } from '@calsync/test-support/browser';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocally, type ServerWithWorker, startServerWithWorker } from '../test/server-with-worker.ts';

const env = useTestEnv();
const ADMIN_TOKEN = 'browser-test-admin-token-0123456789';
const SECRET = 'browser-test-webhook-secret';
const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const WAIT = { timeout: 30_000 };

/** The little of the browser's window the page-side code below uses. */
interface Window {
  getComputedStyle(el: unknown): { backgroundColor: string };
}

let sim: CalSim;
let server: ServerWithWorker;
let browser: Browser;
let page: Page;
let baseUrl: string;
let adaUid: string;
let failedId: string;

const person = (name: string, timeZone: string): SimAttendee => ({
  name,
  email: `${name.toLowerCase().replace(' ', '.')}@example.com`,
  timeZone,
  locale: 'en',
  phoneNumber: null,
  absent: false,
});

const POLL = { timeoutMs: 30_000, intervalMs: 100 };

beforeAll(async () => {
  sim = await startCalSim({ bookings: 15, seed: 3 });
  server = await startServerWithWorker(env, {
    CAL_API_URL: sim.url,
    CAL_API_KEY: sim.apiKey,
    CAL_WEBHOOK_SECRET: SECRET,
    ADMIN_TOKEN,
  });
  baseUrl = await listenLocally(server.app);

  // One booking arrives by webhook (its timeline), one delivery failed earlier and waits for a replay.
  const ada = sim.store.createBooking({ attendee: person('Ada Browsertest', 'Asia/Kolkata') });
  adaUid = ada.uid;
  const answer = await sendDelivery(`${baseUrl}/cal-webhook`, buildDelivery('BOOKING_CREATED', ada), SECRET);
  expect(answer.status).toBe(202);
  const grace = buildDelivery(
    'BOOKING_CREATED',
    sim.store.createBooking({ attendee: person('Grace Replaytest', 'America/New_York') }),
  );
  failedId = createHash('sha256').update(grace.rawBody).digest('hex');
  await env.db.insert(calWebhookEvents).values({
    id: failedId,
    triggerEvent: grace.triggerEvent,
    bookingUid: grace.uid,
    rawBody: grace.rawBody,
    status: 'failed',
    attempts: 8,
    error: 'simulated: PostgreSQL was unreachable',
  });
  await waitUntil(
    'the webhook booking',
    async () => (await env.db.select().from(calBookings).where(eq(calBookings.calUid, adaUid)))[0],
    undefined,
    POLL,
  );

  await mkdir(artifacts, { recursive: true });
  browser = await launchTestChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sim?.close();
});

const shot = (name: string) => page.screenshot({ path: `${artifacts}dashboard-${name}.png`, fullPage: true });

describe('the admin calendar in a browser', () => {
  it('shows only the login form while logged out', async () => {
    for (const path of ['/admin/calendar', `/admin/calendar/bookings/${adaUid}`, '/admin/calendar/deliveries']) {
      await page.goto(`${baseUrl}${path}`);
      await page.waitForSelector('input[name=token]', WAIT);
      const text = await page.content();
      expect(text).not.toContain('Browsertest');
      expect(text).not.toContain('Replaytest');
    }
    await shot('logged-out');
  });

  it('logs in and lists bookings with coloured badges', async () => {
    await page.goto(`${baseUrl}/admin/calendar`);
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('table.list tbody tr', WAIT);
    expect(await page.textContent('table.list')).toContain('Ada Browsertest');
    const badge = page.locator('tr', { hasText: 'Ada Browsertest' }).locator('.badge');
    expect(await badge.textContent()).toBe('scheduled');
    // Runs in the browser; this package compiles without the DOM library, hence the cast.
    const colour = await badge.evaluate((el) => (globalThis as unknown as Window).getComputedStyle(el).backgroundColor);
    expect(colour).toBe('rgb(45, 164, 78)');
    await shot('bookings');
  });

  it('searches by e-mail and opens a booking with its timeline', async () => {
    await page.fill('input[name=q]', 'ADA.browsertest@');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/q=ADA/, WAIT);
    expect(await page.locator('table.list tbody tr').count()).toBe(1);
    await page.click('text=Ada Browsertest');
    await page.waitForSelector('ol.timeline li.delivery', WAIT);
    const details = await page.textContent('main');
    expect(details).toContain('Asia/Kolkata');
    expect(details).toContain('Europe/London'); // the owner's zone
    expect(await page.textContent('ol.timeline')).toMatch(/BOOKING_CREATED\s*processed/);
    await shot('booking');
  });

  it('syncs bookings and shows the run live until it ends', async () => {
    await page.goto(`${baseUrl}/admin/calendar`);
    await page.click('button[data-sync=bookings_sync]');
    await page.waitForURL(/run=/, WAIT);
    const runId = new URL(page.url()).searchParams.get('run');
    const line = page.locator(`.run[data-run-id="${runId}"]`);
    expect(await line.locator('.run-kind').textContent()).toBe('bookings sync');
    // dashboard.js polls the run and rewrites this line until the run ends.
    await line.locator('.run-status', { hasText: 'succeeded' }).waitFor(WAIT);
    expect(await line.textContent()).toMatch(/\d+ pages?,\s*\d+ rows/);
    await shot('sync');
  });

  it('keeps the progress line of a run current without a reload', async () => {
    // A run no worker will take (no job): this test plays the worker on its row while the page polls it.
    const [run] = await env.db.insert(calSyncRuns).values({ kind: 'reconcile', trigger: 'manual' }).returning();
    await page.goto(`${baseUrl}/admin/calendar?run=${run!.id}`);
    const line = page.locator(`.run[data-run-id="${run!.id}"]`);
    expect(await line.locator('.run-status').textContent()).toBe('queued');
    await env.db
      .update(calSyncRuns)
      .set({ status: 'running', pages: 3, rowsUpdated: 7 })
      .where(eq(calSyncRuns.id, run!.id));
    await line.locator('.run-pages', { hasText: '3 pages' }).waitFor(WAIT);
    await env.db
      .update(calSyncRuns)
      .set({ status: 'succeeded', finishedAt: new Date() })
      .where(eq(calSyncRuns.id, run!.id));
    await line.locator('.run-status', { hasText: 'succeeded' }).waitFor(WAIT);
    expect(await line.textContent()).toMatch(/3 pages,\s*7 rows/);
  });

  it('replays a failed delivery and shows it processed', async () => {
    await page.goto(`${baseUrl}/admin/calendar/deliveries`);
    const row = page.locator(`section[aria-label="Failed deliveries"] tr[data-delivery="${failedId}"]`);
    expect(await row.textContent()).toContain('simulated: PostgreSQL was unreachable');
    await row.locator('button', { hasText: 'Replay' }).click();
    await page.waitForURL(/replayed=/, WAIT);
    const latest = page.locator(`section[aria-label="Recent deliveries"] tr[data-delivery="${failedId}"] .badge`);
    await waitUntil(
      'the replayed delivery processed',
      async () => {
        await page.reload();
        return latest.textContent();
      },
      (badge) => badge === 'processed',
      POLL,
    );
    expect(await page.locator(`section[aria-label="Failed deliveries"] tr[data-delivery="${failedId}"]`).count()).toBe(
      0,
    );
    await shot('replayed');
  });

  it('logs out: no booking data anywhere', async () => {
    await page.goto(`${baseUrl}/admin/calendar`);
    await page.click('form.logout button');
    await page.waitForSelector('input[name=token]', WAIT);
    await page.goto(`${baseUrl}/admin/calendar?from=`);
    const text = await page.content();
    expect(text).not.toContain('Browsertest');
    expect(text).not.toContain('Replaytest');
  });
});
