export { type ApiAppDeps, buildApiApp } from './app.ts';
export type { AdminAccess, AdminCheck, AdminIdentity, AdminVerdict } from './auth/admin-access.ts';
export { type HealthSummary, loadHealthSummary } from './dashboard/health-summary.ts'; // the CLI's status
export { type ApiEnv, apiEnvShape, loadApiEnv } from './env.ts';
export {
  type Figures,
  type Insights,
  leadTimeText,
  loadInsights,
  ownerTimezoneEnv,
  parseInsightsRange,
  percent,
  revenueText,
} from './insights/index.ts'; // the CLI's insights
export { type ApiOptions, apiPlugin } from './plugin.ts';
