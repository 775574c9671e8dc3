// What a process hosting the API needs before it loads the API's routes: its configuration and the host that listens
// first. Quick to import (no route, dashboard or worker code), so a host can listen first.
export { type ApiHost, type ApiHostDeps, buildApiHost } from './api-host.ts';
export type { AdminAccess } from './auth/admin-access.ts';
export { type ApiEnv, apiEnvShape, loadApiEnv } from './env.ts';
