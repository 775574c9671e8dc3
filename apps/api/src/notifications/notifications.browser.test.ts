import { useTestEnv } from '@calsync/test-support';
import { launchTestChromium } from '@calsync/test-support/browser';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, TEST_ADMIN_TOKEN } from '../../test/app.ts';

const env = useTestEnv();
const WAIT = { timeout: 30_000 };

let app: FastifyInstance;
let browser: Browser;
let page: Page;
let baseUrl: string;
const refused: string[] = [];

beforeAll(async () => {
  await env.sql`
    insert into notifications (dedupe_key, kind, booking_uid, recipient, offset_ms, start_time, due_at, next_attempt_at,
                               status, attempts, error)
    values ('r1', 'reminder', 'uid-browser', 'ada@example.com', 3600000, now() + interval '2 hours',
            now() + interval '1 hour', now(), 'failed', 5, '550 5.1.1 mailbox unavailable'),
           ('r2', 'reminder', 'uid-other', 'bo@example.com', 3600000, now() + interval '3 hours',
            now() + interval '2 hours', now() + interval '2 hours', 'scheduled', 0, null)`;
  app = await buildTestApi(env, { SMTP_URL: 'smtp://127.0.0.1:2525' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchTestChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A CSP refusal (an inline style or script) shows up as a console error.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      refused.push(message.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the Notifications page in a browser', () => {
  it('logs in, searches by booking and retries a failed reminder', async () => {
    await page.goto(`${baseUrl}/admin/calendar/notifications`);
    await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('section[aria-label="Notifications"]', WAIT);
    expect(await page.locator('section[aria-label="Notifications"] tbody tr').count()).toBe(2);

    await page.fill('input[name=booking]', 'uid-browser');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(/booking=uid-browser/, WAIT);
    const rows = page.locator('section[aria-label="Notifications"] tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('550 5.1.1 mailbox unavailable');

    await rows.first().locator('button', { hasText: 'Retry' }).click();
    await page.waitForSelector('.notice[role=status]', WAIT);
    expect(await page.locator('.notice[role=status]').textContent()).toContain('queued again');
    expect(await page.locator('a', { hasText: /^Failed \(/ }).textContent()).toBe('Failed (0)');
    const [row] = await env.sql`select status, attempts from notifications where dedupe_key = 'r1'`;
    expect(row).toEqual({ status: 'scheduled', attempts: 0 });
    expect(refused).toEqual([]);
  });
});
