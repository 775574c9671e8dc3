export { buildServerApp, type ServerDeps } from './app.ts';
export { loadServerEnv, type ServerEnv, serverEnvShape } from './env.ts';
