import { type Browser, chromium } from 'playwright-core';
import { inject } from 'vitest';
// Declares `chromiumPath` among vitest's provided values.
import type {} from './browser-setup.ts';

/** Headless, no sandbox (tests run as root in CI), nothing fetched in the background. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * The Chromium a browser test drives: the one the browser global setup found or installed (CHROMIUM_PATH, the
 * system's, or Playwright's own), never a path written into the test.
 */
export async function launchTestChromium(): Promise<Browser> {
  return await chromium.launch({ executablePath: inject('chromiumPath'), args: ARGS });
}
