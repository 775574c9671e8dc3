// What a process hosting the API needs before it loads the API's routes: its configuration, the /readyz facts and the
// late admin check. Quick to import (no route, dashboard or worker code), so a host can listen first.
export type { AdminAccess } from './auth/admin-access.ts';
export { lateAdminCheck } from './auth/late-admin-check.ts';
export { type ApiEnv, apiEnvShape, loadApiEnv } from './env.ts';
export { createReadinessDetails } from './readiness.ts';
