import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi } from '../../test/app.ts';
import { HISTORY_RANGE, HISTORY_ZONE, seedHistory } from '../../test/seeded-history.ts';
import { loadApiEnv } from '../env.ts';

const env = useTestEnv();
let app: FastifyInstance;

beforeAll(async () => {
  await seedHistory(env);
  app = await buildTestApi(env, { OWNER_TIMEZONE: HISTORY_ZONE });
});
afterAll(async () => app?.close());

const get = (query: string, headers: Record<string, string> = adminHeaders) =>
  app.inject({ method: 'GET', url: `/admin/api/insights${query}`, headers });

describe('GET /admin/api/insights', () => {
  it('answers the documented shape with weeks from Monday in OWNER_TIMEZONE', async () => {
    const answer = await get(`?from=${HISTORY_RANGE.from}&to=${HISTORY_RANGE.to}`);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body.range).toEqual({ ...HISTORY_RANGE, time_zone: 'Europe/Berlin', event_type: null });
    expect(body.weeks.map((w: { week: string }) => w.week)).toEqual(['2026-03-16', '2026-03-23', '2026-03-30']);
    expect(body.totals).toMatchObject({ booked: 11, completed: 9, revenue: { eur: 15000, usd: 24000, gbp: 2000 } });
    expect(body.event_types).toHaveLength(5);
  });

  it('filters by event type', async () => {
    const body = (await get(`?from=${HISTORY_RANGE.from}&to=${HISTORY_RANGE.to}&event_type=102`)).json();
    expect(body.totals).toMatchObject({ booked: 4, no_show: 2, no_show_rate: 0.6667, revenue: { usd: 24000 } });
  });

  it('exports the weekly series as CSV with a column per currency', async () => {
    const answer = await get(`?from=${HISTORY_RANGE.from}&to=${HISTORY_RANGE.to}&format=csv`);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe(
      'attachment; filename="calsync-insights-2026-03-16-2026-04-05.csv"',
    );
    expect(answer.body.split('\r\n')).toEqual([
      'week,booked,completed,cancelled,rejected,rescheduled,no_show,cancellation_rate,no_show_rate,revenue_eur,revenue_gbp,revenue_usd',
      '2026-03-16,3,2,0,0,1,1,0,0.5,5000,0,8000',
      '2026-03-23,2,2,1,1,1,1,0.3333,0.5,0,0,16000',
      '2026-03-30,6,5,1,0,0,1,0.1429,0.2,10000,2000,0',
      '',
    ]);
  });

  it.each([
    ['?from=2026-3-1', 'from'],
    ['?from=2026-02-30', 'from'],
    ['?from=2026-13-01', 'from'],
    ['?to=yesterday', 'to'],
    ['?from=2026-04-05&to=2026-03-16', 'to'],
    ['?from=2020-01-01&to=2026-01-01', 'to'],
    ['?event_type=coaching', 'event_type'],
    ['?event_type=1&event_type=2', 'event_type'],
    ['?format=xlsx', 'format'],
  ])('refuses %s naming %s', async (query, field) => {
    const answer = await get(query);
    expect(answer.statusCode, answer.body).toBe(400);
    const { error } = answer.json();
    expect(error.code).toBe('invalid_request');
    expect(error.message.startsWith(`${field}:`), error.message).toBe(true);
  });

  it('is for admins only', async () => {
    expect((await get('', {})).statusCode).toBe(401);
    expect((await get('', { authorization: 'Bearer not-the-token-0123456789abcdef' })).statusCode).toBe(401);
  });

  it('defaults to the twelve weeks that end with the current one', async () => {
    const body = (await get('')).json();
    expect(body.weeks).toHaveLength(12);
    expect(new Date(`${body.range.from}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(new Date(`${body.range.to}T00:00:00Z`).getUTCDay()).toBe(0);
  });
});

describe('OWNER_TIMEZONE', () => {
  it('defaults to UTC and refuses an unknown zone naming the variable', () => {
    expect(loadApiEnv({}).OWNER_TIMEZONE).toBe('UTC');
    expect(loadApiEnv({ OWNER_TIMEZONE: 'America/New_York' }).OWNER_TIMEZONE).toBe('America/New_York');
    expect(() => loadApiEnv({ OWNER_TIMEZONE: 'Mars/Olympus_Mons' })).toThrow(/OWNER_TIMEZONE/);
    expect(() => loadApiEnv({ OWNER_TIMEZONE: 'Berlin; drop table' })).toThrow(/OWNER_TIMEZONE/);
  });
});
