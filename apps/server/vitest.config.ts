import { fileURLToPath } from 'node:url';
import { calsyncProject } from '@calsync/test-support';

// The dashboard's browser test needs a Chromium: found (or installed) once before any file runs.
export default calsyncProject('server', {
  globalSetup: [fileURLToPath(new URL('./src/browser-setup.ts', import.meta.url))],
});
