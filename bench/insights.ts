import type { OwnRedis } from '@calsync/test-support';
import postgres from 'postgres';
import { BENCH_ADMIN_TOKEN, startChild } from './support/children.ts';
import { load } from './support/load.ts';
import { freshDatabase } from './support/services.ts';

const ROWS = 100_000;
const SECONDS = 8;
/** One owner asking at a time: the figure is a request's own latency, not a throughput under contention. */
const CONNECTIONS = 1;
/** Its own database: other parts may be using calsync_bench at the same time. */
const DATABASE = 'calsync_bench_insights';
const RANGE = { from: '2025-01-06', to: '2026-01-04' };

export interface InsightsResult {
  bookings_rows: number;
  weeks: number;
  p50_ms: number;
  p99_ms: number;
  rps: number;
  connections: number;
}

/**
 * A year of a busy practice: 100,000 bookings spread over the 52 weeks of RANGE, in every status, a tenth of them
 * rescheduled pairs, an attendee row per booking with some no-shows, and older no-show lists without attendee rows.
 */
async function seed(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`insert into cal_event_types (cal_event_type_id, slug, title, price, currency)
      values ('101', 'coaching', 'Coaching', 9000, 'eur'), ('102', 'intro', 'Intro', 0, 'eur'),
        ('103', 'group', 'Group', 2500, 'usd'), ('104', 'review', 'Review', 15000, 'gbp')`;
    await sql`insert into cal_bookings (cal_booking_id, cal_uid, event_type_id, title, start_time, end_time, status,
        created_at, rescheduled_to_uid, rescheduled_from_uid, no_show_attendees)
      select i::text, 'bench-' || i, (101 + i % 5)::text, 'Session ' || i, s, s + interval '1 hour',
        (array['completed','completed','completed','scheduled','cancelled','rescheduled','completed','pending',
               'completed','rejected'])[1 + i % 10],
        s - (i % 30) * interval '1 day',
        case when i % 10 = 5 then 'bench-' || (i + 1) end,
        case when i % 10 = 6 then 'bench-' || (i - 1) end,
        case when i % 97 = 0 then '[{"email":"old@example.com","noShow":true}]'::jsonb end
      from generate_series(1, ${ROWS}) as i,
        lateral (select timestamptz '2025-01-06 07:00 Europe/Berlin'
          + ((i * 7919) % 364) * interval '1 day' + (i % 11) * interval '1 hour' as s) t`;
    await sql`insert into cal_booking_attendees (booking_uid, email, absent, position)
      select 'bench-' || i, 'attendee' || i || '@example.com', i % 13 = 0, 0
      from generate_series(1, ${ROWS}) as i where i % 97 <> 0`;
    // As autovacuum leaves a settled mirror: statistics, and a visibility map for the index-only scans.
    await sql`vacuum analyze cal_bookings`;
    await sql`vacuum analyze cal_booking_attendees`;
  } finally {
    await sql.end();
  }
}

/** `GET /admin/api/insights` for one year over 100,000 bookings, on the API alone (child process). */
export async function benchInsights(redis: OwnRedis): Promise<InsightsResult> {
  const databaseUrl = await freshDatabase(DATABASE);
  await seed(databaseUrl);
  await redis.flushAll();
  const api = await startChild('api', {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    OWNER_TIMEZONE: 'Europe/Berlin',
  });
  try {
    const url = `${api.url}/admin/api/insights?from=${RANGE.from}&to=${RANGE.to}`;
    const headers = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
    const first = await fetch(url, { headers });
    const body = (await first.json()) as { weeks?: unknown[]; totals?: { booked: number } };
    if (!first.ok || body.weeks?.length !== 52) throw new Error(`insights answered ${first.status}`);
    const figures = await load({ url, connections: CONNECTIONS, seconds: SECONDS, headers });
    if (figures.non2xx > 0 || figures.errors > 0)
      throw new Error(`insights: ${figures.non2xx} non-2xx, ${figures.errors} errors`);
    return {
      bookings_rows: ROWS,
      weeks: body.weeks.length,
      p50_ms: figures.p50_ms,
      p99_ms: figures.p99_ms,
      rps: figures.rps,
      connections: CONNECTIONS,
    };
  } finally {
    await api.stop();
  }
}
