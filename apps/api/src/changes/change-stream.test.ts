import { fileURLToPath } from 'node:url';
import { scrapeMetrics, spawnNode, useTestEnv, waitUntil } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi, insertBooking, TEST_ADMIN_TOKEN } from '../../test/app.ts';
import { browser, csrfOf } from '../../test/dashboard-browser.ts';
import { openSse, type SseConnection } from '../../test/sse-client.ts';
import type { Change } from './read-changes.ts';

const env = useTestEnv();
let app: FastifyInstance;
let base: string;
const open: SseConnection[] = [];

beforeAll(async () => {
  // No safety-net poll within a test's time: what reaches a stream got there by NOTIFY (or by the catch-up read).
  app = await buildTestApi(env, {}, { changes: { heartbeatMs: 100, pollMs: 3_600_000 } });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const connection of open) connection.abort();
  await app?.close();
});

async function stream(query = '', headers: Record<string, string> = adminHeaders) {
  const connection = await openSse(`${base}/admin/api/changes/stream${query}`, headers);
  open.push(connection);
  return connection;
}

const parse = (connection: SseConnection) => connection.events.map((e) => JSON.parse(e.data) as Change);
const idsInTable = async () =>
  (await env.sql<{ id: string }[]>`select id::text as id from cal_changes order by cal_changes.id`).map((r) => r.id);

describe('GET /admin/api/changes/stream', () => {
  it('sends each new Change as one event whose id is the Change id, and heartbeats', async () => {
    const connection = await stream();
    expect(connection.status).toBe(200);
    expect(connection.contentType).toMatch(/^text\/event-stream/);
    await connection.until((_, comments) => comments.includes('connected'));
    const { cal_uid } = await insertBooking(env);
    await connection.until((events) => events.length >= 1);
    const [change] = parse(connection);
    expect(change).toMatchObject({ type: 'booking.created', booking: { uid: cal_uid } });
    expect(connection.events[0]!.id).toBe(change!.id);
    await connection.until((_, comments) => comments.includes('heartbeat'));
  });

  it('resumes from Last-Event-ID after a forced disconnect, losing nothing and repeating nothing', async () => {
    const first = await stream('?after=0');
    await first.until((_, comments) => comments.includes('connected'));
    const before = await idsInTable();
    await first.until((events) => events.length === before.length);
    const lastSeen = first.events.at(-1)!.id!;
    first.abort();

    // Written while no client listens: some before the reconnect, some racing it.
    for (let i = 0; i < 5; i += 1) await insertBooking(env);
    const writing = (async () => {
      for (let i = 0; i < 20; i += 1) await insertBooking(env);
    })();
    const second = await stream('', { ...adminHeaders, 'last-event-id': lastSeen });
    await writing;
    const all = await idsInTable();
    await second.until((events) => events.length >= all.length - before.length);
    const resumed = second.events.map((e) => e.id);
    expect([...first.events.map((e) => e.id), ...resumed]).toEqual(all);
  });

  it('receives a Change that another process wrote, through LISTEN/NOTIFY', async () => {
    const { cal_uid } = await insertBooking(env);
    const connection = await stream();
    await connection.until((_, comments) => comments.includes('connected'));
    const child = spawnNode(fileURLToPath(new URL('../../test/write-change-process.ts', import.meta.url)), {
      DATABASE_URL: env.databaseUrl,
      BOOKING_UID: cal_uid,
      TITLE: 'Written elsewhere',
    });
    expect(await child.exited, child.output()).toBe(0);
    await connection.until((events) => events.length > 0);
    expect(parse(connection)).toEqual([
      expect.objectContaining({
        type: 'booking.updated',
        booking: expect.objectContaining({ uid: cal_uid, title: 'Written elsewhere' }),
      }),
    ]);
  });

  it('reports the feed in calsync_changes_written', async () => {
    const { samples, types } = await scrapeMetrics(base, TEST_ADMIN_TOKEN);
    expect(types.get('calsync_changes_written')).toBe('counter');
    const written = samples.find((s) => s.name === 'calsync_changes_written')?.value;
    expect(written).toBe(Number((await idsInTable()).at(-1)));
  });

  it('counts its clients in calsync_stream_clients', async () => {
    const scrape = async () => {
      const { samples } = await scrapeMetrics(base, TEST_ADMIN_TOKEN);
      return samples.find((s) => s.name === 'calsync_stream_clients')?.value;
    };
    const before = (await scrape()) ?? 0;
    const connection = await stream();
    await connection.until((_, comments) => comments.includes('connected'));
    expect(await scrape()).toBe(before + 1);
    connection.abort();
    await waitUntil('the stream client counted out', scrape, (n) => n === before);
  });

  it('ends open streams when the app closes, so shutdown does not wait for clients', async () => {
    const other = await buildTestApi(env);
    const otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
    const connection = await openSse(`${otherBase}/admin/api/changes/stream`, adminHeaders);
    open.push(connection);
    await connection.until((_, comments) => comments.includes('connected'));
    await other.close();
    await connection.until(() => connection.ended);
  });

  it('opens with the dashboard session, and ends once that session logs out', async () => {
    const session = browser(app);
    await session.logIn();
    const connection = await stream('', { cookie: session.jar.header });
    expect(connection.status).toBe(200);
    await connection.until((_, comments) => comments.includes('connected'));
    const dashboard = await session.get('/admin/calendar');
    const loggedOut = await session.post('/admin/calendar/logout', { _csrf: csrfOf(dashboard.body) });
    expect(loggedOut.statusCode).toBe(303);
    await connection.until(() => connection.ended);
  });

  it('is for admins only and refuses a bad Last-Event-ID', async () => {
    expect((await fetch(`${base}/admin/api/changes/stream`)).status).toBe(401);
    const bad = await fetch(`${base}/admin/api/changes/stream`, {
      headers: { ...adminHeaders, 'last-event-id': 'x' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^Last-Event-ID: /);
  });
});
