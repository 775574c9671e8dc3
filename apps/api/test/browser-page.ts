import { launchTestChromium } from '@calsync/test-support/browser';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';

/** The app listening on a local port and one Chromium page to drive it. */
export interface PageOnApp {
  baseUrl: string;
  browser: Browser;
  page: Page;
  /** Closes the browser, then the app. */
  close(): Promise<void>;
}

/** Listens on a free local port, launches Chromium and opens a desktop-sized page. */
export async function openPageOnApp(app: FastifyInstance): Promise<PageOnApp> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchTestChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  return {
    baseUrl,
    browser,
    page,
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

/**
 * Pushes the page's console errors into `refused` while `counting()` holds: a CSP refusal (an inline style or script)
 * shows up as one. Failed loads are left to the caller (a missing favicon is fine).
 */
export function recordConsoleErrors(page: Page, refused: string[], counting: () => boolean = () => true): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && counting() && !message.text().startsWith('Failed to load resource'))
      refused.push(message.text());
  });
}
