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

describe('GET /cal-bookings/:uid', () => {
  it('gives the booking and every stored delivery for its uid, oldest first', async () => {
    const { cal_uid } = await insertBooking(env, { cal_uid: 'timeline-1' });
    await env.sql`insert into cal_webhook_events (id, trigger_event, booking_uid, raw_body, status, error, received_at, sent_at)
      values ('a1', 'BOOKING_CREATED', ${cal_uid}, '{}', 'processed', null, '2031-01-01T10:00:00Z', '2031-01-01T09:59:59Z'),
             ('a2', 'BOOKING_CANCELLED', ${cal_uid}, '{}', 'failed', 'boom', '2031-01-01T11:00:00Z', null),
             ('a3', 'BOOKING_CREATED', 'someone-else', '{}', 'processed', null, '2031-01-01T10:30:00Z', null)`;
    const answer = await app.inject({ url: `/functions/v1/cal-bookings/${cal_uid}`, headers: adminHeaders });
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(body.booking.cal_uid).toBe(cal_uid);
    expect(body.timeline).toEqual([
      {
        id: 'a1',
        trigger: 'BOOKING_CREATED',
        status: 'processed',
        received_at: '2031-01-01T10:00:00+00:00',
        sent_at: '2031-01-01T09:59:59+00:00',
        error: null,
      },
      {
        id: 'a2',
        trigger: 'BOOKING_CANCELLED',
        status: 'failed',
        received_at: '2031-01-01T11:00:00+00:00',
        sent_at: null,
        error: 'boom',
      },
    ]);
  });

  it('answers 404 for an unknown uid', async () => {
    const answer = await app.inject({ url: '/cal-bookings/no-such-uid', headers: adminHeaders });
    expect(answer.statusCode).toBe(404);
    expect(answer.json().error.code).toBe('not_found');
  });
});
