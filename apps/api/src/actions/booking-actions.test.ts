import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calWrites, hoursFromNow, invoke, mirrorSimBooking } from '../../test/actions.ts';
import { adminHeaders, buildTestApi } from '../../test/app.ts';

const env = useTestEnv();
let sim: CalSim;
let app: FastifyInstance;

beforeAll(async () => {
  sim = await startCalSim({ bookings: 3 });
  app = await buildTestApi(env, { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});
beforeEach(() => sim.log.reset());

async function mirrored(partial: Parameters<CalSim['store']['createBooking']>[0] = {}) {
  const booking = sim.store.createBooking(partial);
  await mirrorSimBooking(env, sim, booking.uid);
  return booking;
}

async function rowOf(uid: string) {
  const [row] = await env.sql<{ status: string; cancellation_reason: string | null }[]>`
    select status, cancellation_reason from cal_bookings where cal_uid = ${uid}`;
  return row;
}

const auditOf = (uid: string) =>
  env.sql<{ action: string; actor: string; outcome: string; cal_error_code: string | null; request: unknown }[]>`
    select action, actor, outcome, cal_error_code, request from cal_admin_actions where target = ${uid}`;

describe('POST /cal-bookings actions', () => {
  it('confirms a pending booking: one Cal.com call, the row from its answer, a Change and an audit record', async () => {
    const booking = await mirrored({ status: 'pending' });

    const answer = await invoke(app, 'cal-bookings', { action: 'confirm', uid: booking.uid });

    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().booking).toMatchObject({ cal_uid: booking.uid, status: 'scheduled' });
    expect(calWrites(sim)).toEqual([`POST /v2/bookings/${booking.uid}/confirm`]);
    expect((await rowOf(booking.uid))?.status).toBe('scheduled');
    expect(await auditOf(booking.uid)).toEqual([
      { action: 'confirm', actor: 'admin-token', outcome: 'accepted', cal_error_code: null, request: {} },
    ]);
    const changes = await env.sql`select type, changed from cal_changes where booking_uid = ${booking.uid} order by id`;
    expect(changes.at(-1)).toMatchObject({ changed: { status: { from: 'pending', to: 'scheduled' } } });
  });

  it('declines with the reason and cancels with the reason, as Cal.com records them', async () => {
    const pending = await mirrored({ status: 'pending' });
    const upcoming = await mirrored();

    const declined = await invoke(app, 'cal-bookings', { action: 'decline', uid: pending.uid, reason: 'Fully booked' });
    const cancelled = await invoke(app, 'cal-bookings', { action: 'cancel', uid: upcoming.uid, reason: 'Travelling' });

    expect([declined.statusCode, declined.json().booking.status]).toEqual([200, 'rejected']);
    expect(sim.store.booking(pending.uid)?.rejectionReason).toBe('Fully booked');
    expect(cancelled.json().booking).toMatchObject({ status: 'cancelled', cancellation_reason: 'Travelling' });
    expect((await auditOf(upcoming.uid))[0]).toMatchObject({ action: 'cancel', request: { reason: 'Travelling' } });
  });

  it('marks an attendee of a past booking absent in Cal.com and in the mirrored attendees', async () => {
    const past = await mirrored({ start: hoursFromNow(-3), end: hoursFromNow(-2) });
    const email = past.attendee.email;

    const answer = await invoke(app, 'cal-bookings', {
      action: 'mark-absent',
      uid: past.uid,
      attendees: [{ email: email.toUpperCase(), absent: true }],
    });

    expect(answer.statusCode, answer.body).toBe(200);
    expect(sim.store.booking(past.uid)?.attendee.absent).toBe(true);
    const [attendee] = await env.sql`select absent from cal_booking_attendees where booking_uid = ${past.uid}`;
    expect(attendee).toEqual({ absent: true });
  });

  it('refuses with 409 what the mirrored state does not allow, without calling Cal.com', async () => {
    const cancelled = await mirrored({ status: 'cancelled' });
    const upcoming = await mirrored();

    const confirm = await invoke(app, 'cal-bookings', { action: 'confirm', uid: cancelled.uid });
    const early = await invoke(app, 'cal-bookings', {
      action: 'mark-absent',
      uid: upcoming.uid,
      attendees: [{ email: upcoming.attendee.email, absent: true }],
    });

    expect([confirm.statusCode, confirm.json().error.code]).toEqual([409, 'conflict']);
    expect(confirm.json().error.message).toMatch(/cancelled booking cannot be confirmed/);
    expect(early.statusCode).toBe(409);
    expect(calWrites(sim)).toEqual([]);
    expect(await auditOf(cancelled.uid)).toEqual([]);
  });

  it("answers 502 with Cal.com's code when Cal.com refuses, audits it, and leaves the mirror as it was", async () => {
    // Someone confirmed it in Cal.com already; the mirror has not heard yet.
    const booking = await mirrored({ status: 'pending' });
    sim.store.updateBooking(booking.uid, { status: 'accepted' });

    const answer = await invoke(app, 'cal-bookings', { action: 'decline', uid: booking.uid, reason: 'x' });

    expect(answer.statusCode).toBe(502);
    expect(answer.json().error).toMatchObject({ code: 'upstream_error', cal_code: 'TRPCError', cal_status: 400 });
    expect((await rowOf(booking.uid))?.status).toBe('pending');
    expect(await auditOf(booking.uid)).toMatchObject([{ outcome: 'refused', cal_error_code: 'TRPCError' }]);
  });

  it('answers 404 for an unknown uid and 400 naming a bad field, by GET 405', async () => {
    const unknown = await invoke(app, 'cal-bookings', { action: 'cancel', uid: 'no-such-booking' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'not_found']);

    const past = await mirrored({ start: hoursFromNow(-3), end: hoursFromNow(-2) });
    const badEmail = await invoke(app, 'cal-bookings', {
      action: 'mark-absent',
      uid: past.uid,
      attendees: [{ email: 'stranger@example.com', absent: true }],
    });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().error.message).toMatch(/^attendees\[0\]\.email: not an attendee/);
    const noUid = await invoke(app, 'cal-bookings', { action: 'cancel' });
    expect([noUid.statusCode, noUid.json().error.message]).toEqual([400, expect.stringMatching(/^uid: /)]);
    const byGet = await app.inject({
      url: `/cal-bookings?action=cancel&uid=${past.uid}`,
      headers: adminHeaders,
    });
    expect(byGet.statusCode).toBe(405);
    expect(calWrites(sim)).toEqual([]);
  });

  it('makes one Cal.com call for a double submit, and replays the same answer to a retry with the same key', async () => {
    const booking = await mirrored();
    const body = { action: 'cancel', uid: booking.uid, reason: 'Double click' };

    const [first, second] = await Promise.all([invoke(app, 'cal-bookings', body), invoke(app, 'cal-bookings', body)]);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json()).toEqual(first.json());
    expect([first.headers['idempotent-replayed'], second.headers['idempotent-replayed']].sort()).toEqual([
      'true',
      undefined,
    ]);

    const other = await mirrored({ status: 'pending' });
    const keyed = { action: 'confirm', uid: other.uid };
    const headers = { 'idempotency-key': 'retry-7f3a' };
    const once = await invoke(app, 'cal-bookings', keyed, headers);
    const again = await invoke(app, 'cal-bookings', keyed, headers);
    expect(again.json()).toEqual(once.json());
    expect(calWrites(sim)).toEqual([
      `POST /v2/bookings/${booking.uid}/cancel`,
      `POST /v2/bookings/${other.uid}/confirm`,
    ]);
    expect(await auditOf(booking.uid)).toHaveLength(1);
  });

  it('lets a request that never reached Cal.com be retried: the key is released, not remembered', async () => {
    const booking = sim.store.createBooking({ status: 'pending' });
    const body = { action: 'confirm', uid: booking.uid };

    const early = await invoke(app, 'cal-bookings', body); // the webhook has not arrived yet
    expect(early.statusCode).toBe(404);
    await mirrorSimBooking(env, sim, booking.uid);
    const retried = await invoke(app, 'cal-bookings', body);

    expect([retried.statusCode, retried.headers['idempotent-replayed']]).toEqual([200, undefined]);
    expect(calWrites(sim)).toEqual([`POST /v2/bookings/${booking.uid}/confirm`]);
  });
});
