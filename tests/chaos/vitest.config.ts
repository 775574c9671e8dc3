import { fileURLToPath } from 'node:url';
import { calsyncProject } from '@calsync/test-support';

// The reliability suites: each file starts its own child processes (and its own Redis / PostgreSQL servers where
// it breaks them), so they run one at a time to keep the 2-core machine's timings honest. `root` is this folder,
// so `vitest run --config tests/chaos/vitest.config.ts` works from the repository root.
const project = calsyncProject('chaos', {
  include: ['*.chaos.test.ts'],
  testTimeout: 150_000,
  hookTimeout: 60_000,
  fileParallelism: false,
}) as object;

export default { ...project, root: fileURLToPath(new URL('.', import.meta.url)) };
