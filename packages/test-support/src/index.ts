export { type ChromiumSearch, findChromium, findOrInstallChromium } from './chromium.ts';
export { openCountingRelay } from './counting-relay.ts';
export { closedPortUrl, freePort, waitForHttp } from './net.ts';
export { type OwnRedis, startOwnRedis, useOwnRedis } from './own-redis.ts';
export { checkThenTerminate, killAndWait, type NodeProcess, peakRssMb, spawnNode } from './processes.ts';
export { calsyncProject } from './project.ts';
export { parsePrometheusText, type Sample, sampleValue, scrapeMetrics } from './prometheus-text.ts';
export { startScriptNodeFlags } from './start-script.ts';
export { createTestEnv, resourcesOf, type TestEnv, type TestResources, useTestEnv } from './test-env.ts';
export {
  LOCAL_SERVICES,
  postgresAnswers,
  redisAnswers,
  resolveTestServices,
  type ServiceSource,
  type TestServices,
} from './test-services.ts';
export { type Truthy, type WaitOptions, waitUntil } from './wait-until.ts';
