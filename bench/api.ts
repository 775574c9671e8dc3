import { startCalSim } from '@calsync/cal-sim';
import type { OwnRedis } from '@calsync/test-support';
import postgres from 'postgres';
import { BENCH_ADMIN_TOKEN, startChild } from './support/children.ts';
import { load } from './support/load.ts';
import { freshDatabase } from './support/services.ts';

const ROWS = 100_000;
const SECONDS = 4;
const CONNECTIONS = 4;

export interface ApiResult {
  bookings_rows: number;
  first_page_p99_ms: number;
  page_100_p99_ms: number;
  availability_hit_p99_ms: number;
  first_page_rps: number;
  page_100_rps: number;
  availability_hit_rps: number;
}

/**
 * The API alone (child process) over 100,000 booking rows: the bookings list's first page and page 100 (followed
 * through next_cursor), and a cached availability answer. Each from a few connections for a few seconds.
 */
export async function benchApi(redis: OwnRedis): Promise<ApiResult> {
  const databaseUrl = await freshDatabase();
  await redis.flushAll();
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await sql`insert into cal_bookings (cal_booking_id, cal_uid, event_type_id, event_type_slug, title, start_time,
      end_time, attendee_name, attendee_email, attendee_timezone, status, metadata)
    select i::text, 'bench-uid-' || i, (101 + i % 4)::text, '30min', 'Bench meeting ' || i,
      timestamptz '2026-01-01' + (i * interval '17 minutes'), timestamptz '2026-01-01' + (i * interval '17 minutes') + interval '30 minutes',
      'Attendee ' || i, 'attendee' || i || '@example.com', 'Europe/Berlin',
      (array['scheduled','pending','cancelled','completed'])[1 + i % 4], '{}'::jsonb
    from generate_series(1, ${ROWS}) as i`;
  await sql`analyze cal_bookings`;
  // Availability answers only for event types the mirror holds as active (the simulator's first is 101).
  await sql`insert into cal_event_types (cal_event_type_id, slug, title, active) values ('101', '30min', 'Bench', true)`;
  await sql.end();
  const sim = await startCalSim({ bookings: 100, rateLimit: 6_000 });
  const api = await startChild('api', {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    CAL_API_URL: sim.url,
    CAL_API_KEY: sim.apiKey,
    CAL_API_RATE_LIMIT: '6000',
    LOG_LEVEL: 'warn',
    // The load generator stands in for a proxy on 127.0.0.1 forwarding many visitors (x-forwarded-for below).
    TRUST_PROXY: '127.0.0.1',
  });
  try {
    const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
    const first = `${api.url}/cal-bookings`;
    let cursor: string | null = null;
    for (let page = 1; page < 100; page++) {
      const response = await fetch(cursor ? `${first}?cursor=${encodeURIComponent(cursor)}` : first, {
        headers: admin,
      });
      const body = (await response.json()) as { next_cursor: string | null };
      if (!response.ok || !body.next_cursor) throw new Error(`page ${page}: HTTP ${response.status}, no next_cursor`);
      cursor = body.next_cursor;
    }
    const firstPage = await load({ url: first, connections: CONNECTIONS, seconds: SECONDS, headers: admin });
    const page100 = await load({
      url: `${first}?cursor=${encodeURIComponent(cursor!)}`,
      connections: CONNECTIONS,
      seconds: SECONDS,
      headers: admin,
    });
    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10);
    const availability = `${api.url}/cal-availability?eventTypeId=101&dateFrom=${from}&dateTo=${to}&timeZone=UTC`;
    const miss = await fetch(availability);
    if (!miss.ok) throw new Error(`availability answered ${miss.status}: ${await miss.text()}`);
    // Many visitors, as on a booking page: the public per-address limit must not be what is measured.
    let visitor = 0;
    const hit = await load({
      url: availability,
      connections: CONNECTIONS,
      seconds: SECONDS,
      setupHeaders: () => ({
        'x-forwarded-for': `10.${(visitor >> 16) & 255}.${(visitor >> 8) & 255}.${visitor++ & 255}`,
      }),
    });
    for (const [name, figures] of Object.entries({ firstPage, page100, hit })) {
      if (figures.non2xx > 0 || figures.errors > 0) throw new Error(`${name}: ${figures.non2xx} non-2xx answers`);
    }
    return {
      bookings_rows: ROWS,
      first_page_p99_ms: firstPage.p99_ms,
      page_100_p99_ms: page100.p99_ms,
      availability_hit_p99_ms: hit.p99_ms,
      first_page_rps: firstPage.rps,
      page_100_rps: page100.rps,
      availability_hit_rps: hit.rps,
    };
  } finally {
    await api.stop();
    await sim.close();
  }
}
