export { closedPortUrl, freePort, waitForHttp } from './net.ts';
export { calsyncProject } from './project.ts';
export { createTestEnv, type TestEnv, useTestEnv } from './test-env.ts';
