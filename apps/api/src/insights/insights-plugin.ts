import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import { weeklyCsv } from './insights-csv.ts';
import { parseInsightsRange } from './insights-range.ts';
import { loadInsights } from './load-insights.ts';

export interface InsightsOptions {
  /** OWNER_TIMEZONE: weeks start on its Mondays. */
  timeZone: string;
}

/**
 * `GET /admin/api/insights?from=&to=&event_type=` (admin): totals, weekly series and event types as README
 * "Insights" defines them; `format=csv` answers the weekly series as a CSV download instead.
 */
export async function insightsPlugin(app: FastifyInstance, { timeZone }: InsightsOptions) {
  app.get(
    '/admin/api/insights',
    {
      preHandler: app.requireAdmin,
      schema: {
        summary: 'Insights (admin): totals, weeks (Monday in OWNER_TIMEZONE) and event types for from..to',
        tags: ['insights'],
        security: [{ admin: [] }],
      },
    },
    async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const format = query.format ?? 'json';
      if (format !== 'json' && format !== 'csv') throw new HttpError('invalid_request', 'format: expected json or csv');
      const range = parseInsightsRange(query, timeZone);
      const insights = await loadInsights(app.resources.db, range, timeZone);
      if (format === 'json') return insights;
      const name = `calsync-insights-${range.from}-${range.to}${range.eventType ? `-${range.eventType}` : ''}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(weeklyCsv(insights));
    },
  );
}
