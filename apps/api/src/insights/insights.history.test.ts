import { useTestEnv } from '@calsync/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_RANGE, HISTORY_ZONE, seedHistory } from '../../test/seeded-history.ts';
import { loadInsights } from './load-insights.ts';

// Every figure below is worked out by hand from the comments in seeded-history.ts.

const env = useTestEnv();

beforeAll(async () => {
  await seedHistory(env);
});

const none = { cancelled: 0, rejected: 0, rescheduled: 0, no_show: 0 };

describe('insights over a seeded history (Europe/Berlin, across the March 2026 clock change)', () => {
  it('counts each week from its Berlin Monday, a moved session once, a seated booking once', async () => {
    const insights = await loadInsights(env.db, HISTORY_RANGE, HISTORY_ZONE);
    expect(insights.weeks).toEqual([
      {
        // b1, b2 (Mon 00:30 Berlin, Sunday in UTC), b4 (b3's new half); b3 is the rescheduled-away half.
        week: '2026-03-16',
        booked: 3,
        completed: 2,
        cancelled: 0,
        rejected: 0,
        rescheduled: 1,
        no_show: 1,
        cancellation_rate: 0,
        no_show_rate: 0.5,
        revenue: { eur: 5000, usd: 8000 },
      },
      {
        // b9, b10 booked; b5 cancelled, b6 rejected, b7 moved to the next week; only b9 was a no-show.
        week: '2026-03-23',
        booked: 2,
        completed: 2,
        cancelled: 1,
        rejected: 1,
        rescheduled: 1,
        no_show: 1,
        cancellation_rate: 0.3333,
        no_show_rate: 0.5,
        revenue: { usd: 16000 },
      },
      {
        // b8 (b7's new half), b11 (seated, Mon 00:30 CEST), b12 (Sun 23:30), b14 pending, b15, b16; b18 cancelled.
        week: '2026-03-30',
        booked: 6,
        completed: 5,
        cancelled: 1,
        rejected: 0,
        rescheduled: 0,
        no_show: 1,
        cancellation_rate: 0.1429,
        no_show_rate: 0.2,
        revenue: { eur: 10000, gbp: 2000 },
      },
    ]);
    expect(insights.totals).toEqual({
      booked: 11,
      completed: 9,
      cancelled: 2,
      rejected: 1,
      rescheduled: 2,
      no_show: 3,
      cancellation_rate: 0.1538,
      no_show_rate: 0.3333,
      revenue: { eur: 15000, usd: 24000, gbp: 2000 },
    });
  });

  it('gives the same figures per event type, most booked first', async () => {
    const { event_types } = await loadInsights(env.db, HISTORY_RANGE, HISTORY_ZONE);
    expect(event_types).toEqual([
      {
        event_type_id: '101',
        title: 'Coaching',
        slug: 'coaching',
        booked: 4,
        completed: 3,
        cancelled: 1,
        rejected: 0,
        rescheduled: 2,
        no_show: 0,
        cancellation_rate: 0.2,
        no_show_rate: 0,
        revenue: { eur: 15000 },
      },
      {
        event_type_id: '102',
        title: 'Intro call',
        slug: 'intro',
        booked: 4,
        completed: 3,
        cancelled: 0,
        rejected: 1,
        rescheduled: 0,
        no_show: 2,
        cancellation_rate: 0,
        no_show_rate: 0.6667,
        revenue: { usd: 24000 },
      },
      {
        event_type_id: '103',
        title: 'Group session',
        slug: 'group',
        booked: 1,
        completed: 1,
        ...none,
        cancelled: 1,
        no_show: 1,
        cancellation_rate: 0.5,
        no_show_rate: 1,
        revenue: { gbp: 2000 },
      },
      {
        event_type_id: '105',
        title: 'Free chat',
        slug: 'free-chat',
        booked: 1,
        completed: 1,
        ...none,
        cancellation_rate: 0,
        no_show_rate: 0,
        revenue: {},
      },
      {
        event_type_id: null,
        title: null,
        slug: null,
        booked: 1,
        completed: 1,
        ...none,
        cancellation_rate: 0,
        no_show_rate: 0,
        revenue: {},
      },
    ]);
  });

  it('places booked sessions on the Berlin weekday × hour grid and takes the median lead time', async () => {
    const insights = await loadInsights(env.db, HISTORY_RANGE, HISTORY_ZONE);
    const cells: Record<string, number> = {};
    insights.weekday_hour.forEach((hours, day) => {
      hours.forEach((n, hour) => {
        if (n > 0) cells[`${day + 1}@${hour}`] = n;
      });
    });
    // isodow@hour: b2 and b11 both at Monday 00:30 local, b12 on Sunday 23:30, the rest as commented.
    expect(cells).toEqual({
      '1@0': 2,
      '1@9': 1,
      '3@10': 1,
      '3@11': 1,
      '4@11': 1,
      '5@11': 1,
      '5@12': 1,
      '5@15': 1,
      '5@16': 1,
      '7@23': 1,
    });
    // Lead times of the 11 booked (minutes): 30, 30, 60, 60, 60, 120, 1440, 1440, 1440, 2880, 17280.
    expect(insights.median_lead_time_minutes).toBe(120);
  });

  it('narrows everything to one event type', async () => {
    const insights = await loadInsights(env.db, { ...HISTORY_RANGE, eventType: '101' }, HISTORY_ZONE);
    expect(insights.totals).toMatchObject({ booked: 4, completed: 3, cancelled: 1, rescheduled: 2 });
    expect(insights.weeks.map((w) => [w.week, w.booked, w.rescheduled])).toEqual([
      ['2026-03-16', 2, 1],
      ['2026-03-23', 0, 1],
      ['2026-03-30', 2, 0],
    ]);
    expect(insights.event_types.map((t) => t.event_type_id)).toEqual(['101']);
    // b1 2880, b4 1440, b8 17280 (Cal.com's createdAt: its row is younger than the session), b12 30: (1440 + 2880) / 2.
    expect(insights.median_lead_time_minutes).toBe(2160);
  });

  it('reads the same rows as weeks of another zone', async () => {
    // In UTC b2 falls on Sunday 2026-03-15 (outside) and b13 on Sunday 2026-04-05 (inside); b11 (Sunday 22:30 UTC)
    // belongs to the week of 2026-03-23.
    const insights = await loadInsights(env.db, HISTORY_RANGE, 'UTC');
    expect(insights.weeks.map((w) => [w.week, w.booked])).toEqual([
      ['2026-03-16', 2],
      ['2026-03-23', 3],
      ['2026-03-30', 6],
    ]);
    expect(insights.totals.booked).toBe(11);
  });
});
