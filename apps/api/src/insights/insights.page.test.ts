import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi } from '../../test/app.ts';
import { browser } from '../../test/dashboard-browser.ts';
import { HISTORY_RANGE, HISTORY_ZONE, seedHistory } from '../../test/seeded-history.ts';

const env = useTestEnv();
let app: FastifyInstance;
let visitor: ReturnType<typeof browser>;

beforeAll(async () => {
  await seedHistory(env);
  app = await buildTestApi(env, { OWNER_TIMEZONE: HISTORY_ZONE });
  visitor = browser(app);
  await visitor.logIn();
});
afterAll(async () => app?.close());

const pageOf = (query: string) => visitor.get(`/admin/calendar/insights${query}`);
const historyQuery = `?from=${HISTORY_RANGE.from}&to=${HISTORY_RANGE.to}`;

describe('the insights page', () => {
  it('shows only the login form without a session, and comes back to the page after it', async () => {
    const answer = await app.inject({ method: 'GET', url: `/admin/calendar/insights${historyQuery}` });
    expect(answer.statusCode).toBe(401);
    expect(answer.body).toContain('name="token"');
    expect(answer.body).toContain(`value="/admin/calendar/insights${historyQuery.replace('&', '&amp;')}"`);
    expect(answer.body).not.toContain('Coaching');
  });

  it('renders headline numbers against the previous period, three charts and the tables', async () => {
    const answer = await pageOf(historyQuery);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.body;
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(body).toContain('aria-current="page">Insights</a>');
    // The previous period (2026-02-23 – 2026-03-15) holds only b17, a cancellation: every booked one is new.
    expect(body).toContain('against 2026-02-23 – 2026-03-15');
    expect(body).toMatch(/Booked<\/span><span class="value">11<\/span>\s*<span class="change"[^>]*>\+11</);
    expect(body).toMatch(/Cancellation rate<\/span><span class="value">15\.4 %/);
    expect(body).toMatch(/No-show rate<\/span><span class="value">33\.3 %/);
    expect(body).toContain('€150.00 · £20.00 · US$240.00');
    expect(body).toContain('data-chart="bars"');
    expect(body).toContain('data-chart="lines"');
    expect(body).toContain('data-chart="heatmap"');
    expect(body).toContain('<title>Week of 2026-03-30: 6 booked</title>');
    expect(body).toContain('<title>Week of 2026-03-23: cancellation rate 33 %</title>');
    expect(body).toContain('<title>Mon 00:00: 2 booked</title>');
    expect(body).toContain('<td>Group session</td><td>1</td>');
    expect(body).toContain(`href="/admin/api/insights?from=2026-03-16&amp;to=2026-04-05&amp;format=csv"`);
    // Charts never load anything from elsewhere.
    expect(body).not.toMatch(/<script[^>]+src="http/);
  });

  it('filters by event type with the GET form', async () => {
    const body = (await pageOf(`${historyQuery}&event_type=103`)).body;
    expect(body).toContain('<option value="103" selected>Group session</option>');
    expect(body).toMatch(/Booked<\/span><span class="value">1</);
    expect(body).not.toContain('<td>Coaching</td>');
  });

  it('answers a refused range with the form and the reason', async () => {
    const answer = await pageOf('?from=2026-04-05&to=2026-03-01');
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('to: must not be before from (2026-04-05)');
    expect(answer.body).toContain('name="from" value="2026-04-05"');
  });

  it('serves its own stylesheet', async () => {
    const answer = await visitor.get('/admin/calendar/insights/insights.css');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('lets the session download the CSV', async () => {
    const answer = await visitor.get(`/admin/api/insights${historyQuery}&format=csv`);
    expect(answer.statusCode).toBe(200);
    expect(answer.body.startsWith('week,booked,')).toBe(true);
  });
});
