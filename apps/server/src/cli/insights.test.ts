import { useTestEnv } from '@calsync/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Output } from './output.ts';
import { runCli } from './run-cli.ts';

const env = useTestEnv();

function capture(): Output & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(t), isTty: false, text: () => lines.join('\n') };
}

async function cli(vars: Record<string, string>, ...argv: string[]) {
  const output = capture();
  const code = await runCli(argv, { env: { DATABASE_URL: env.databaseUrl, ...vars }, output });
  return { code, text: output.text() };
}

beforeAll(async () => {
  await env.sql`insert into cal_event_types (cal_event_type_id, slug, title, price, currency)
    values ('7', 'coaching', 'Coaching', 9000, 'eur')`;
  // Berlin: Mon 2026-03-02 00:30 (Sunday in UTC), Tue 10:00, Wed 10:00 cancelled, Thu 10:00 moved away.
  const rows = [
    ['c1', 'completed', '2026-03-01T23:30:00Z', '2026-02-20T23:30:00Z'],
    ['c2', 'completed', '2026-03-03T09:00:00Z', '2026-03-02T09:00:00Z'],
    ['c3', 'cancelled', '2026-03-04T09:00:00Z', '2026-03-01T09:00:00Z'],
    ['c4', 'rescheduled', '2026-03-05T09:00:00Z', '2026-03-01T09:00:00Z'],
  ];
  for (const [uid, status, start, created] of rows)
    await env.sql`insert into cal_bookings (cal_uid, status, event_type_id, start_time, created_at)
      values (${uid!}, ${status!}, '7', ${start!}, ${created!})`;
  await env.sql`insert into cal_booking_attendees (booking_uid, email, absent, position)
    values ('c2', 'ada@example.com', true, 0)`;
});

describe('pnpm calsync insights', () => {
  it('prints the totals of the range, weeks in OWNER_TIMEZONE', async () => {
    const { code, text } = await cli(
      { OWNER_TIMEZONE: 'Europe/Berlin' },
      'insights',
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-08',
    );
    expect(code, text).toBe(0);
    expect(text.split('\n')).toEqual([
      'insights 2026-03-02 – 2026-03-08 (weeks from Monday, Europe/Berlin)',
      'booked               2',
      'completed            2',
      'cancelled            1',
      'rejected             0',
      'rescheduled          1',
      'no-shows             1',
      'cancellation rate    33.3 %',
      'no-show rate         50.0 %',
      'revenue              €180.00',
      // The two booked: c1 made 9 d ahead, c2 1 d ahead; the median of two is their mean, 5 d.
      'median lead time     5 d',
    ]);
  });

  it('--json prints the same totals as the API answers them', async () => {
    const { code, text } = await cli(
      { OWNER_TIMEZONE: 'Europe/Berlin' },
      'insights',
      '--from=2026-03-02',
      '--to=2026-03-08',
      '--event-type=7',
      '--json',
    );
    expect(code, text).toBe(0);
    expect(JSON.parse(text)).toEqual({
      range: { from: '2026-03-02', to: '2026-03-08', time_zone: 'Europe/Berlin', event_type: '7' },
      totals: {
        booked: 2,
        completed: 2,
        cancelled: 1,
        rejected: 0,
        rescheduled: 1,
        no_show: 1,
        cancellation_rate: 0.3333,
        no_show_rate: 0.5,
        revenue: { eur: 18000 },
      },
      median_lead_time_minutes: 7200,
    });
  });

  it('counts in UTC by default (c1 then falls on Sunday, outside the range)', async () => {
    const { text } = await cli({}, 'insights', '--from', '2026-03-02', '--to', '2026-03-08', '--json');
    expect(JSON.parse(text).totals.booked).toBe(1);
  });

  it('exits 2 naming the bad option or variable', async () => {
    for (const [vars, argv, named] of [
      [{}, ['insights', '--from', '2026-13-01'], '--from:'],
      [{}, ['insights', '--from', '2026-03-08', '--to', '2026-03-01'], '--to:'],
      [{}, ['insights', '--event-type', 'coaching'], '--event-type:'],
      [{}, ['insights', '--since', '2026-03-01'], "'--since'"],
      [{ OWNER_TIMEZONE: 'Europe/Atlantis' }, ['insights'], 'OWNER_TIMEZONE'],
    ] as const) {
      const { code, text } = await cli(vars, ...argv);
      expect([argv, code]).toEqual([argv, 2]);
      expect(text).toContain(named);
      expect(text).toContain('Usage: pnpm calsync');
    }
  });
});
