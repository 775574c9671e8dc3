import { readFileSync } from 'node:fs';
import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken } from '../dashboard/csrf-token.ts';
import { page } from '../dashboard/views/layout.ts';
import { loginPage } from '../dashboard/views/login.ts';
import { type InsightsRange, parseInsightsRange, previousRange } from './insights-range.ts';
import { eventTypeChoices } from './insights-sql.ts';
import { INSIGHTS_PAGE, type InsightsView, insightsBody, refusedBody } from './insights-view.ts';
import { loadInsights } from './load-insights.ts';

const stylesheet = readFileSync(new URL('./assets/insights.css', import.meta.url));

function sendHtml(reply: FastifyReply, body: string, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

const asText = (value: unknown) => (typeof value === 'string' ? value.slice(0, 40) : undefined);

/**
 * `/admin/calendar/insights`: the insights page. Registered inside the dashboard plugin, whose session, CSRF
 * token (the layout's logout form) and security headers it shares.
 */
export function registerInsightsPage(app: FastifyInstance, timeZone: string) {
  const { db } = app.resources;

  app.get(`${INSIGHTS_PAGE}/insights.css`, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(stylesheet),
  );

  app.get(INSIGHTS_PAGE, async (request: FastifyRequest, reply) => {
    if (!request.dashboardSession)
      return sendHtml(reply, loginPage({ csrfToken: csrfToken(request, reply), next: request.url }), 401);
    const session = { csrfToken: csrfToken(request, reply), active: 'insights' as const };
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const asked = { from: asText(raw.from), to: asText(raw.to), event_type: asText(raw.event_type) };
    const eventTypes = await eventTypeChoices(db);
    let range: InsightsRange;
    try {
      range = parseInsightsRange(raw, timeZone);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const body = refusedBody({ eventTypes, asked, error: error.message });
      return sendHtml(reply, page({ title: 'Insights', body, session }), 400);
    }
    const [current, previous] = await Promise.all([
      loadInsights(db, range, timeZone),
      loadInsights(db, previousRange(range), timeZone, { countsOnly: true }),
    ]);
    const view: InsightsView = {
      current,
      previous,
      eventTypes,
      asked: { from: range.from, to: range.to, event_type: range.eventType },
    };
    return sendHtml(reply, page({ title: 'Insights', body: insightsBody(view), session }));
  });
}
