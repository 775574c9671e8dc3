export { type ApiEnv, apiEnvShape, loadApiEnv } from './env.ts';
export { type ApiOptions, apiPlugin } from './plugin.ts';
