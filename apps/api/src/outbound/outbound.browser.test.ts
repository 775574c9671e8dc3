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
  app = await buildTestApi(env, { OUTBOUND_ALLOW_PRIVATE: 'true' });
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
