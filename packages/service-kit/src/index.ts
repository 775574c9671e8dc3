export { type BaseAppDeps, buildBaseApp } from './base-app.ts';
export * from './env.ts';
export { errorHandlerPlugin } from './error-handler.ts';
export { type ErrorBody, type ErrorCode, errorBody, errorStatus, HttpError } from './errors.ts';
export { type HealthOptions, healthPlugin } from './health.ts';
export { loggerOptions } from './logger.ts';
export { mailEnv, withMailRules } from './mail-env.ts';
export * from './metrics.ts';
export { type MetricsRouteOptions, metricsRoutePlugin } from './metrics-route.ts';
export {
  checkRedisAtStart,
  checkRedisDurability,
  type RedisDurability,
  redisDurabilityEnv,
  requireDurableRedis,
  VolatileRedisError,
} from './redis-durability.ts';
export { createResources, type Resources, resourcesPlugin } from './resources.ts';
export { closeOnSignals } from './shutdown.ts';
export { loadEnvOrExit, migrateOrExit } from './startup.ts';
export { bearerToken, tokensEqual } from './tokens.ts';
