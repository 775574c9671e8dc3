import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi, insertBooking } from '../../test/app.ts';
import type { Change } from './read-changes.ts';

const env = useTestEnv();
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApi(env);
});
afterAll(async () => {
  await app?.close();
});

async function page(query: string) {
  const response = await app.inject({ url: `/admin/api/changes?${query}`, headers: adminHeaders });
  expect(response.statusCode).toBe(200);
  return response.json() as { changes: Change[]; next_cursor: string; has_more: boolean };
}

describe('GET /admin/api/changes', () => {
  it('pages through every Change oldest first and keeps its place when nothing is new', async () => {
    const uids: string[] = [];
    for (let i = 0; i < 5; i += 1) uids.push((await insertBooking(env)).cal_uid);
    await env.sql`update cal_bookings set status = 'cancelled' where cal_uid = ${uids[0]!}`;

    const seen: Change[] = [];
    let cursor = '0';
    for (;;) {
      const answer = await page(`after=${cursor}&limit=2`);
      seen.push(...answer.changes);
      cursor = answer.next_cursor;
      if (!answer.has_more) break;
    }
    expect(seen.map((c) => c.type)).toEqual([...uids.map(() => 'booking.created'), 'booking.cancelled']);
    expect(seen.map((c) => c.booking?.uid)).toEqual([...uids, uids[0]]);
    const ids = seen.map((c) => BigInt(c.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(seen.at(-1)).toMatchObject({
      booking: { uid: uids[0], status: 'cancelled' },
      changed: { status: { from: 'scheduled', to: 'cancelled' } },
    });
    expect(seen[0]!.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const caughtUp = await page(`after=${cursor}`);
    expect(caughtUp).toEqual({ changes: [], next_cursor: cursor, has_more: false });
  });

  it('carries event_type instead of booking on event-type Changes', async () => {
    await env.sql`insert into cal_event_types (cal_event_type_id, slug, title) values ('501', 'deep', 'Deep dive')`;
    const { changes } = await page('after=0&limit=1000');
    const created = changes.find((c) => c.type === 'event_type.created');
    expect(created).toMatchObject({ event_type: { id: '501', slug: 'deep', title: 'Deep dive' }, changed: {} });
    expect(created).not.toHaveProperty('booking');
  });

  it('is for admins only', async () => {
    const response = await app.inject({ url: '/admin/api/changes' });
    expect(response.statusCode).toBe(401);
  });

  it('refuses a bad cursor or limit, naming it', async () => {
    for (const [query, parameter] of [
      ['after=abc', 'after'],
      ['after=-1', 'after'],
      ['after=99999999999999999999', 'after'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
    ] as const) {
      const response = await app.inject({ url: `/admin/api/changes?${query}`, headers: adminHeaders });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.message, query).toMatch(new RegExp(`^${parameter}: `));
    }
  });
});
