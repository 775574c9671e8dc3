import { useTestEnv } from '@calsync/test-support';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, TEST_ADMIN_TOKEN } from '../../test/app.ts';
import { openPageOnApp, type PageOnApp, recordConsoleErrors } from '../../test/browser-page.ts';

const env = useTestEnv();
const WAIT = { timeout: 30_000 };

let opened: PageOnApp;
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
  opened = await openPageOnApp(await buildTestApi(env, { SMTP_URL: 'smtp://127.0.0.1:2525' }));
  ({ page, baseUrl } = opened);
  recordConsoleErrors(page, refused);
}, 60_000);

afterAll(async () => {
  await opened?.close();
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
