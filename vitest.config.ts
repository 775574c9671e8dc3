import { defineConfig } from 'vitest/config';

// One run over every workspace package that has tests: each one's vitest.config.ts names its project
// (packages/test-support/src/project.ts sets what they share, how many files run at once included).
export default defineConfig({
  test: {
    projects: ['{packages,apps}/*/vitest.config.ts'],
  },
});
