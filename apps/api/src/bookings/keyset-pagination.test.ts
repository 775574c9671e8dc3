import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi, insertBooking } from '../../test/app.ts';

const env = useTestEnv();
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApi(env);
});
afterAll(async () => app?.close());

// Start times with ties (same instant, different ids), microseconds, and NULLs, which sort last.
function startTimeFor(i: number): string | null {
  if (i % 11 === 0) return null;
  if (i % 5 === 0) return '2030-06-01T12:00:00Z';
  return new Date(Date.UTC(2030, 0, 1) + i * 3_600_000 + (i % 7)).toISOString().replace('Z', `${i % 10}00Z`);
}

describe('keyset pagination', () => {
  it('returns every booking exactly once across pages while new bookings arrive', async () => {
    const original = new Set<string>();
    for (let i = 0; i < 230; i++) original.add((await insertBooking(env, { start_time: startTimeFor(i) })).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await app.inject({
        method: 'POST',
        url: '/cal-bookings',
        payload: cursor ? { limit: 17, cursor } : { limit: 17 },
        headers: adminHeaders,
      });
      expect(answer.statusCode, answer.body).toBe(200);
      const page = answer.json() as {
        bookings: Array<{ id: string; start_time: string | null }>;
        next_cursor: string | null;
      };
      expect(page.bookings.length).toBeLessThanOrEqual(17);
      seen.push(...page.bookings.map((b) => b.id));
      cursor = page.next_cursor;
      pages += 1;
      // New bookings arrive between pages: before, inside and after the part already read, and undated.
      for (let j = 0; j < 3; j++) await insertBooking(env, { start_time: startTimeFor(pages * 3 + j + 1_000) });
      await insertBooking(env, { start_time: '2020-01-01T00:00:00Z' });
    } while (cursor !== null && pages < 200);

    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of original) expect(seen).toContain(id);
  });

  it('orders by start time then id, undated last', async () => {
    const answer = await app.inject({ url: '/cal-bookings?limit=500', headers: adminHeaders });
    const rows = answer.json().bookings as Array<{ id: string; start_time: string | null }>;
    const firstNull = rows.findIndex((r) => r.start_time === null);
    expect(firstNull).toBeGreaterThan(0);
    expect(rows.slice(firstNull).every((r) => r.start_time === null)).toBe(true);
    for (let i = 1; i < firstNull; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      const order = Date.parse(a.start_time!) - Date.parse(b.start_time!) || (a.id < b.id ? -1 : 1);
      expect(order).toBeLessThanOrEqual(0);
    }
  });

  it('walks the (start_time, id) index instead of sorting the table', async () => {
    const [cursorRow] = await env.sql<{ start_time: string; id: string }[]>`
      select to_jsonb(start_time) #>> '{}' as start_time, id from cal_bookings where start_time is not null order by start_time, id offset 100 limit 1`;
    await env.sql`set enable_seqscan = off`;
    const plan = await env.sql<{ 'QUERY PLAN': string }[]>`explain
      select id from cal_bookings where (start_time, id) > (${cursorRow!.start_time}::timestamptz, ${cursorRow!.id}::uuid)
      order by start_time, id limit 51`;
    await env.sql`reset enable_seqscan`;
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('cal_bookings_start_time_id_idx');
  });

  it('refuses a cursor it did not issue', async () => {
    for (const cursor of ['abc', 'W10', Buffer.from('["yesterday","x"]').toString('base64url'), 'x'.repeat(500)]) {
      const answer = await app.inject({ url: `/cal-bookings?cursor=${cursor}`, headers: adminHeaders });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error.message).toMatch(/^cursor/);
    }
  });
});
