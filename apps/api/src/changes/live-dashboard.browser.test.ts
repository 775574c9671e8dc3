import { useTestEnv } from '@calsync/test-support';
import { launchTestChromium } from '@calsync/test-support/browser';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, insertBooking, TEST_ADMIN_TOKEN } from '../../test/app.ts';

// The bookings list of /admin/calendar follows the change feed in a real browser, with the session cookie.

const env = useTestEnv();
const WAIT = { timeout: 15_000 };
let app: FastifyInstance;
let browser: Browser;
let baseUrl: string;
const problems: string[] = [];

const inDays = (days: number, hour = 10) => {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
};

async function logIn(page: Page) {
  await page.goto(`${baseUrl}/admin/calendar`);
  await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
  await page.click('button[type=submit]');
  await page.waitForSelector('section.bookings', WAIT);
}

beforeAll(async () => {
  app = await buildTestApi(env);
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchTestChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the live bookings list', () => {
  it('updates a booking in place and shows a new one where it belongs, with a live indicator', async () => {
    const early = await insertBooking(env, { start_time: inDays(1), attendee_name: 'Early Ann' });
    const late = await insertBooking(env, { start_time: inDays(5), attendee_name: 'Late Lou' });
    const page = await browser.newPage();
    // A script error or a CSP refusal shows up as a console error (a failed load is a missing favicon or the login's 401).
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    await logIn(page);
    await page.waitForSelector('[data-live-indicator].live-live', WAIT);
    expect(await page.textContent('[data-live-indicator]')).toBe('live');

    await env.sql`update cal_bookings set status = 'cancelled' where cal_uid = ${early.cal_uid}`;
    const earlyRow = page.locator(`tr[data-booking="${early.cal_uid}"]`);
    await earlyRow.locator('.badge-cancelled').waitFor(WAIT);
    expect(await earlyRow.locator('[data-field="status"]').textContent()).toBe('cancelled');

    await env.sql`update cal_bookings set start_time = ${inDays(2, 15)} where cal_uid = ${early.cal_uid}`;
    await earlyRow.locator('[data-field="start"]').filter({ hasText: '15:00' }).waitFor(WAIT);

    const middle = await insertBooking(env, { start_time: inDays(3), attendee_name: 'Middle Max' });
    await page.locator(`tr[data-booking="${middle.cal_uid}"]`).waitFor(WAIT);
    const rows = await page.locator('tr[data-booking]').all();
    const order = await Promise.all(rows.map((row) => row.getAttribute('data-booking')));
    expect(order).toEqual([early.cal_uid, middle.cal_uid, late.cal_uid]);
    expect(await page.textContent(`tr[data-booking="${middle.cal_uid}"] [data-field="attendee"]`)).toBe('Middle Max');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says when it lost the stream and comes back live by itself', async () => {
    const page = await browser.newPage();
    await logIn(page);
    await page.waitForSelector('[data-live-indicator].live-live', WAIT);
    // Cut every open stream from the server's side, as a restart or a proxy would.
    await page.route('**/admin/api/changes/stream*', (route) => route.abort());
    await env.sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query ilike 'listen%'`;
    await page.evaluate('window.stop()');
    await page.waitForSelector('[data-live-indicator]:is(.live-reconnecting, .live-offline)', WAIT);
    await page.unroute('**/admin/api/changes/stream*');
    await page.waitForSelector('[data-live-indicator].live-live', { timeout: 30_000 });
    const fresh = await insertBooking(env, { start_time: inDays(1, 8), attendee_name: 'After Outage' });
    await page.locator(`tr[data-booking="${fresh.cal_uid}"]`).waitFor(WAIT);
    await page.close();
  });

  it('still lists the bookings without JavaScript, with no indicator', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page);
    expect(await page.locator('tr[data-booking]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-live-indicator]').isVisible()).toBe(false);
    await context.close();
  });
});
