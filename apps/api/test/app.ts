import { resourcesOf, type TestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApiApp } from '../src/app.ts';
import { loadApiEnv } from '../src/env.ts';
import type { ApiOptions } from '../src/plugin.ts';

/** A token long enough for ADMIN_TOKEN's rule. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** The API on this test file's database and Redis prefix; `vars` are environment variables (strings, like process.env). */
export async function buildTestApi(
  env: TestEnv,
  vars: Record<string, string | undefined> = {},
  options: Omit<ApiOptions, 'env'> = {},
): Promise<FastifyInstance> {
  const apiEnv = loadApiEnv({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    // Tests share client addresses: limits off unless a test sets them.
    PUBLIC_RATE_LIMIT: '1000000',
    AVAILABILITY_MISSES_PER_CLIENT: '1000000',
    AUTH_FAILURES_PER_CLIENT: '10000',
    ...vars,
  });
  const app = await buildApiApp({
    env: apiEnv,
    logger: pino({ level: 'silent' }),
    resources: resourcesOf(env),
    options,
  });
  await app.ready();
  return app;
}

let counter = 0;

/** Inserts a booking with sensible defaults; returns its row id and uid. */
export async function insertBooking(
  env: TestEnv,
  fields: Partial<{
    cal_uid: string;
    status: string;
    start_time: string | null;
    end_time: string | null;
    event_type_id: string;
    event_type_slug: string;
    attendee_name: string;
    attendee_email: string;
  }> = {},
): Promise<{ id: string; cal_uid: string }> {
  counter += 1;
  const row = {
    cal_uid: `uid-${Date.now().toString(36)}-${counter}`,
    status: 'scheduled',
    start_time: '2030-01-01T10:00:00Z',
    end_time: null,
    event_type_id: '1',
    event_type_slug: 'intro',
    attendee_name: `Attendee ${counter}`,
    attendee_email: `attendee${counter}@example.com`,
    ...fields,
  };
  const [inserted] = await env.sql<{ id: string; cal_uid: string }[]>`
    insert into cal_bookings ${env.sql(row)} returning id, cal_uid`;
  return inserted!;
}

/** Puts event types into the mirror as a sync would (availability answers only for those it holds as active). */
export async function mirrorEventTypes(env: TestEnv, ids: Array<string | number>, fields: { active?: boolean } = {}) {
  for (const id of ids) {
    await env.sql`insert into cal_event_types (cal_event_type_id, slug, title, active)
      values (${String(id)}, ${`type-${id}`}, ${`Type ${id}`}, ${fields.active ?? true})
      on conflict (cal_event_type_id) do update set active = excluded.active`;
  }
}
