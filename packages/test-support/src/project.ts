import { fileURLToPath } from 'node:url';
import { defineProject, type TestProjectConfiguration } from 'vitest/config';

const globalSetup = fileURLToPath(new URL('./global-setup.ts', import.meta.url));
const browserSetup = fileURLToPath(new URL('./browser-setup.ts', import.meta.url));

/**
 * A package's vitest project: its name, the shared global setup (PostgreSQL + Redis, migrated template) and
 * timeouts fit for integration tests against real services. A package's own `globalSetup` files run after the
 * shared one. `browser: true` adds the browser setup, which finds or installs the Chromium its browser tests drive.
 */
export function calsyncProject(
  name: string,
  test: Record<string, unknown> & { globalSetup?: string[]; browser?: boolean } = {},
): TestProjectConfiguration {
  const { globalSetup: ownSetup = [], browser = false, ...rest } = test;
  return defineProject({
    test: {
      name,
      globalSetup: [globalSetup, ...(browser ? [browserSetup] : []), ...ownSetup],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      ...rest,
    },
  });
}
