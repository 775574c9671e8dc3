import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { useTestEnv } from '@calsync/test-support';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, TEST_ADMIN_TOKEN } from '../../test/app.ts';
import { openPageOnApp, type PageOnApp, recordConsoleErrors } from '../../test/browser-page.ts';
import { HISTORY_ZONE, seedHistory } from '../../test/seeded-history.ts';

const env = useTestEnv();
const docs = fileURLToPath(new URL('../../../../docs/', import.meta.url));
const WAIT = { timeout: 30_000 };
const RANGE = '?from=2026-01-12&to=2026-04-05';

let opened: PageOnApp;
let page: Page;
let baseUrl: string;
const refused: string[] = [];
/** The login form answers 401 on purpose: problems count from the first page after it. */
let loggedIn = false;

/**
 * Twelve weeks of a plausible practice before the hand-checked history, so the charts have something to show:
 * deterministic (a fixed sequence, no randomness), weekdays 08–18 h Berlin time, a few cancellations and no-shows.
 */
async function seedPractice() {
  const types = ['101', '102', '103'];
  for (let i = 0; i < 150; i++) {
    // Two or three sessions a working day from Monday 2026-01-12 up to the history's first week.
    const workday = Math.floor(i / 2.5);
    const day = Math.floor(workday / 5) * 7 + (workday % 5);
    const start = new Date(Date.UTC(2026, 0, 12 + day, 7 + ((i * 7) % 10)));
    if (start.getTime() >= Date.UTC(2026, 2, 16)) break;
    const status = i % 11 === 3 ? 'cancelled' : i % 17 === 5 ? 'rescheduled' : 'completed';
    const uid = `p${i}`;
    await env.sql`insert into cal_bookings (cal_uid, status, event_type_id, start_time, end_time, created_at)
      values (${uid}, ${status}, ${types[i % 3]!}, ${start.toISOString()},
        ${new Date(start.getTime() + 3_600_000).toISOString()},
        ${new Date(start.getTime() - ((i % 9) + 1) * 86_400_000).toISOString()})`;
    if (status === 'completed')
      await env.sql`insert into cal_booking_attendees (booking_uid, email, absent, position)
        values (${uid}, ${`${uid}@example.com`}, ${i % 13 === 0}, 0)`;
  }
}

beforeAll(async () => {
  await seedHistory(env);
  await seedPractice();
  opened = await openPageOnApp(await buildTestApi(env, { OWNER_TIMEZONE: HISTORY_ZONE }));
  ({ page, baseUrl } = opened);
  // Failed loads are judged by their URL below.
  recordConsoleErrors(page, refused, () => loggedIn);
  page.on('response', (response) => {
    if (loggedIn && response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
      refused.push(`${response.status()} ${response.url()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl)) refused.push(`outside request: ${request.url()}`);
  });
}, 60_000);

afterAll(async () => {
  await opened?.close();
});

describe('the insights page in a browser', () => {
  it('logs in, draws the three charts and the tables, and is captured for the README', async () => {
    await page.goto(`${baseUrl}/admin/calendar/insights${RANGE}`);
    await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('svg[data-chart="heatmap"]', WAIT);
    loggedIn = true;
    await page.reload();
    await page.waitForSelector('svg[data-chart="heatmap"]', WAIT);
    expect(page.url()).toBe(`${baseUrl}/admin/calendar/insights${RANGE}`);

    for (const chart of ['bars', 'lines', 'heatmap']) {
      const box = await page.locator(`svg[data-chart="${chart}"]`).boundingBox();
      expect(box?.width, chart).toBeGreaterThan(600);
      expect(box?.height, chart).toBeGreaterThan(150);
    }
    // 12 weeks × 3 bars, each titled; the lines have markers; the busiest cells print their counts.
    expect(await page.locator('svg[data-chart="bars"] rect > title').count()).toBe(36);
    expect(await page.locator('svg[data-chart="lines"] circle').count()).toBeGreaterThan(10);
    expect(await page.locator('svg[data-chart="heatmap"] text').count()).toBeGreaterThan(20);
    expect(await page.locator('table[data-table="event-types"] tbody tr').count()).toBe(5);
    // The stylesheet applied: charts take the card's width.
    expect(await page.locator('.headline').first().isVisible()).toBe(true);
    // The README's picture is refreshed on request only, so a test run leaves the working tree as it found it.
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(docs, { recursive: true });
      await writeFile(`${docs}insights.png`, shot);
    }
    expect(refused).toEqual([]);
  });

  it('filters with the form and fits a phone without sideways scrolling', async () => {
    await page.selectOption('select[name=event_type]', '102');
    await page.click('form.insights-filters button[type=submit]');
    await page.waitForURL(/event_type=102/, WAIT);
    expect(await page.locator('table[data-table="event-types"] tbody tr').count()).toBe(1);

    await page.setViewportSize({ width: 390, height: 844 });
    const box = await page.locator('svg[data-chart="bars"]').boundingBox();
    expect(box?.width).toBeLessThanOrEqual(390);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(refused).toEqual([]);
  });
});
