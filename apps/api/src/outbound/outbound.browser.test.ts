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
  opened = await openPageOnApp(await buildTestApi(env, { OUTBOUND_ALLOW_PRIVATE: 'true' }));
  ({ page, baseUrl } = opened);
  recordConsoleErrors(page, refused);
}, 60_000);

afterAll(async () => {
  await opened?.close();
});

describe('the "Webhooks out" page in a browser', () => {
  it('logs in, adds an endpoint (its secret shown once), opens its deliveries and retries a failed one', async () => {
    await page.goto(`${baseUrl}/admin/calendar/webhooks`);
    await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
    await page.click('button[type=submit]');
    const add = page.locator('section[aria-label="Add an endpoint"]');
    await add.waitFor(WAIT);
    await add.locator('input[name=url]').fill('http://127.0.0.1:9/crm');
    await add.locator('input[value="booking.cancelled"]').check();
    await add.locator('button[type=submit]').click();
    await page.waitForSelector('#endpoint-secret', WAIT);
    const secret = (await page.locator('#endpoint-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const [endpoint] = await env.sql<{ id: string; secret: string; types: string[] }[]>`
      select id, secret, types from outbound_endpoints`;
    expect(endpoint).toMatchObject({ secret, types: ['booking.cancelled'] });

    await page.goto(`${baseUrl}/admin/calendar/webhooks`);
    expect(await page.locator('#endpoint-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await env.sql`insert into cal_bookings (cal_uid, status) values ('browser-uid', 'scheduled')`;
    await env.sql`
      insert into outbound_deliveries (endpoint_id, change_id, order_key, status, attempts, next_attempt_at,
        last_status_code, last_error)
      select ${endpoint!.id}, max(id), 'booking:browser-uid', 'failed', 8, now(), 500, 'answered 500' from cal_changes`;
    await page.click('a:has-text("http://127.0.0.1:9/crm")');
    const deliveries = page.locator('section[aria-label="Deliveries"] tbody tr');
    await deliveries.first().waitFor(WAIT);
    expect(await deliveries.first().textContent()).toContain('browser-uid');
    await deliveries.first().locator('button', { hasText: 'Retry' }).click();
    await page.waitForSelector('.notice[role=status]', WAIT);
    expect(await page.locator('.notice[role=status]').textContent()).toContain('queued again');
    const [row] = await env.sql`select status from outbound_deliveries`;
    expect(row!.status).toBe('pending');
    expect(refused).toEqual([]);
  });
});
