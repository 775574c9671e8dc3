import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineProject, type TestProjectConfiguration } from 'vitest/config';

const globalSetup = fileURLToPath(new URL('./global-setup.ts', import.meta.url));
const browserSetup = fileURLToPath(new URL('./browser-setup.ts', import.meta.url));

/**
 * A package's vitest project: its name, the shared global setup (PostgreSQL + Redis, migrated template) and
 * timeouts fit for integration tests against real services, and two test files per core at once (most of a file's
 * time is spent waiting on PostgreSQL, Redis, child processes and timers: on 2 cores the suite takes 11 min with one
 * file per core, under 6 with two). Every project must say the same `maxWorkers`: vitest takes it from each project,
 * not from the root config. A package's own `globalSetup` files run after the shared one. `browser: true` adds the
 * browser setup, which finds or installs the Chromium its browser tests drive.
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
      maxWorkers: 2 * availableParallelism(),
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      ...rest,
    },
  });
}
