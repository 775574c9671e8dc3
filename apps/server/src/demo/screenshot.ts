import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';

/** Debian's Chromium, as CI installs it. */
export const chromiumLaunch = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
};

/** Logs in to the dashboard at `baseUrl` and saves a full-page screenshot of the bookings page. */
export async function screenshotDashboard(baseUrl: string, adminToken: string, path: string): Promise<void> {
  const browser = await chromium.launch(chromiumLaunch);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl}/admin/calendar`);
    await page.fill('input[name=token]', adminToken);
    await page.click('button[type=submit]');
    await page.waitForSelector('table.list tbody tr');
    await mkdir(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: false });
  } finally {
    await browser.close();
  }
}
