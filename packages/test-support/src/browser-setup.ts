import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { findOrInstallChromium } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium the browser tests drive (see findOrInstallChromium for the order it is looked for in). */
    chromiumPath: string;
  }
}

/**
 * Vitest global setup of the packages with browser tests (`calsyncProject(name, { browser: true })`): finds (or, on Debian as root, installs) a Chromium before any test file
 * runs, so a machine without one stops in the first second with one line saying what to install.
 */
export default async function setup(project: TestProject) {
  let bundledPath: string | undefined;
  try {
    bundledPath = chromium.executablePath(); // Playwright's own download, if `playwright-core install` ran
  } catch {
    bundledPath = undefined;
  }
  try {
    project.provide('chromiumPath', await findOrInstallChromium({ bundledPath }));
  } catch (error) {
    // The message says what to do; a stack trace through vitest's internals would only bury it.
    const short = new Error((error as Error).message);
    short.stack = `Error: ${short.message}`;
    throw short;
  }
}
