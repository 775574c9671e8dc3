import { calsyncProject } from '@calsync/test-support';

// The dashboard's browser tests need a Chromium: found (or installed) once before any file runs.
export default calsyncProject('api', { browser: true });
