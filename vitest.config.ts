import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One run over every workspace package that has tests: each one's vitest.config.ts names its project.
// Two test files per core: most of a file's time is spent waiting on PostgreSQL, Redis, child processes and timers,
// so one per core leaves the cores half idle (on 2 cores: 11 min with 2 files at a time, under 6 min with 4).
export default defineConfig({
  test: {
    projects: ['{packages,apps}/*/vitest.config.ts'],
    maxWorkers: 2 * availableParallelism(),
  },
});
