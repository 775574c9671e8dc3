import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { findOrInstallChromium } from '@calsync/test-support/chromium';
import { chromium } from 'playwright-core';

/** Headless, no sandbox (the demo may run as root in a container), nothing fetched in the background. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * The Chromium to drive, found as the browser tests find theirs: `chromiumPath` (CHROMIUM_PATH), a system Chromium,
 * Playwright's own download; else an error that says what to install. The demo installs nothing itself.
 */
async function findDemoChromium(chromiumPath: string | undefined): Promise<string> {
  let bundledPath: string | undefined;
  try {
    bundledPath = chromium.executablePath(); // present only if `playwright-core install chromium` ran
  } catch {
    bundledPath = undefined;
  }
  return await findOrInstallChromium({ env: { CHROMIUM_PATH: chromiumPath }, bundledPath, install: null });
}

/** Logs in to the dashboard at `baseUrl` and saves a screenshot of the bookings page. */
export async function screenshotDashboard(options: {
  baseUrl: string;
  adminToken: string;
  path: string;
  chromiumPath: string | undefined;
}): Promise<void> {
  const executablePath = await findDemoChromium(options.chromiumPath);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${options.baseUrl}/admin/calendar`);
    await page.fill('input[name=token]', options.adminToken);
    await page.click('button[type=submit]');
    await page.waitForSelector('table.list tbody tr');
    await mkdir(dirname(options.path), { recursive: true });
    await page.screenshot({ path: options.path, fullPage: false });
  } finally {
    await browser.close();
  }
}
