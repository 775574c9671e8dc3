import { defineConfig } from 'vitest/config';

// One run over every workspace package that has tests: each one's vitest.config.ts names its project.
export default defineConfig({
  test: {
    projects: ['{packages,apps}/*/vitest.config.ts'],
  },
});
