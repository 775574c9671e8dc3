export { type BaseAppDeps, buildBaseApp } from './base-app.ts';
export * from './env.ts';
export { errorHandlerPlugin } from './error-handler.ts';
export { type ErrorBody, type ErrorCode, errorBody, errorStatus, HttpError } from './errors.ts';
export { type HealthOptions, healthPlugin } from './health.ts';
export { loggerOptions } from './logger.ts';
export * from './metrics.ts';
export { createResources, type Resources, resourcesPlugin } from './resources.ts';
export { closeOnSignals } from './shutdown.ts';
