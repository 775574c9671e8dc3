// What other packages use of the insights: the CLI prints the same totals as the route.
export { duration as leadTimeText, percent, revenueText } from './insights-format.ts';
export { type InsightsRange, parseInsightsRange } from './insights-range.ts';
export { type Figures, type Insights, loadInsights } from './load-insights.ts';
export { ownerTimezoneEnv } from './owner-timezone.ts';
