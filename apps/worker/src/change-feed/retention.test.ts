import { useTestEnv, waitUntil } from '@calsync/test-support';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadWorkerEnv } from '../env.ts';
import { startChangeRetention } from './retention.ts';

const env = useTestEnv();

async function insertBooking(uid: string) {
  await env.sql`insert into cal_bookings (cal_uid) values (${uid})`;
}
const countFor = async (uid: string) =>
  (await env.sql<{ n: number }[]>`select count(*)::int as n from cal_changes where booking_uid = ${uid}`)[0]!.n;

describe('CHANGES_RETENTION', () => {
  it('defaults to 90 days and takes days, hours or minutes', () => {
    expect(loadWorkerEnv({}).CHANGES_RETENTION).toBe(90 * 86_400_000);
    expect(loadWorkerEnv({ CHANGES_RETENTION: '7d' }).CHANGES_RETENTION).toBe(7 * 86_400_000);
    expect(loadWorkerEnv({ CHANGES_RETENTION: '36h' }).CHANGES_RETENTION).toBe(36 * 3_600_000);
  });

  it('refuses a bad value, naming the variable', () => {
    expect(() => loadWorkerEnv({ CHANGES_RETENTION: 'forever' })).toThrow(/CHANGES_RETENTION/);
    expect(() => loadWorkerEnv({ CHANGES_RETENTION: '0d' })).toThrow(/CHANGES_RETENTION/);
  });

  it('the worker prunes Changes older than the retention, keeping newer ones', async () => {
    await insertBooking('old-one');
    await insertBooking('new-one');
    await env.sql`update cal_changes set occurred_at = now() - interval '91 days' where booking_uid = 'old-one'`;
    const retention = startChangeRetention({
      db: env.db,
      retentionMs: loadWorkerEnv({}).CHANGES_RETENTION,
      logger: pino({ level: 'silent' }),
    });
    try {
      await waitUntil(
        'the old Change removed',
        () => countFor('old-one'),
        (n) => n === 0,
      );
      expect(await countFor('old-one')).toBe(0);
      expect(await countFor('new-one')).toBe(1);
    } finally {
      await retention.close();
    }
  });
});
