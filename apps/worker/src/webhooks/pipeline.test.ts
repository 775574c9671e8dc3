import { buildDelivery, type Delivery, lifecycle, makeBooking, perturbStream, sendDelivery } from '@calsync/cal-sim';
import { calBookings, calSyncRuns, calWebhookEvents } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAndWait, startPipeline, TEST_SECRET, waitForEvents } from '../../test/pipeline-harness.ts';

const env = useTestEnv();
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
beforeAll(async () => {
  pipeline = await startPipeline(env);
});
afterAll(async () => await pipeline?.close());

const deliver = (deliveries: Delivery[]) => deliverAndWait(env, pipeline.url, deliveries);

async function booking(uid: string) {
  const [row] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, uid));
  if (!row) throw new Error(`no booking ${uid}`);
  return row;
}

describe('webhook pipeline, every trigger kind', () => {
  it('BOOKING_CREATED fills every column from the payload', async () => {
    const [created] = lifecycle('book', { seed: 11 });
    await deliver([created!]);
    const sim = created!.booking!;
    const row = await booking(sim.uid);
    expect(row).toMatchObject({
      calBookingId: String(sim.id),
      eventTypeId: String(sim.eventTypeId),
      eventTypeSlug: sim.eventTypeSlug,
      title: sim.title,
      attendeeName: sim.attendee.name,
      attendeeEmail: sim.attendee.email,
      attendeeTimezone: sim.attendee.timeZone,
      organizerTimezone: sim.organizer.timeZone,
      status: 'scheduled',
      location: sim.location,
      meetingUrl: sim.meetingUrl,
      source: 'webhook',
    });
    expect(row.startTime?.toISOString()).toBe(new Date(sim.start).toISOString());
    expect(row.endTime?.toISOString()).toBe(new Date(sim.end).toISOString());
    expect(row.metadata).toMatchObject({ uid: sim.uid, bookingId: sim.id });
    expect(row.sourceUpdatedAt?.toISOString()).toBe(created!.createdAt);
  });

  it('REQUESTED → pending, then CREATED for the same uid confirms it', async () => {
    const [requested, confirmed] = lifecycle('request-confirm', { seed: 12 });
    await deliver([requested!]);
    expect((await booking(requested!.uid!)).status).toBe('pending');
    await deliver([confirmed!]);
    expect((await booking(requested!.uid!)).status).toBe('scheduled');
  });

  it('REJECTED and CANCELLED keep their reasons', async () => {
    const rejectStory = lifecycle('reject', { seed: 13 });
    const cancelStory = lifecycle('cancel', { seed: 14 });
    await deliver([...rejectStory, ...cancelStory]);
    const rejected = await booking(rejectStory[0]!.uid!);
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: rejectStory[1]!.booking!.rejectionReason });
    const cancelled = await booking(cancelStory[0]!.uid!);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancellationReason: cancelStory[1]!.booking!.cancellationReason,
    });
  });

  it('a reschedule chain of three links every half, old halves `rescheduled`', async () => {
    const [created, toB, toC] = lifecycle('reschedule-chain', { seed: 15 });
    await deliver([created!, toB!, toC!]);
    const [a, b, c] = [created!.uid!, toB!.uid!, toC!.uid!];
    expect(await booking(a)).toMatchObject({ status: 'rescheduled', rescheduledToUid: b, rescheduledFromUid: null });
    expect(await booking(b)).toMatchObject({ status: 'rescheduled', rescheduledFromUid: a, rescheduledToUid: c });
    expect(await booking(c)).toMatchObject({ status: 'scheduled', rescheduledFromUid: b, rescheduledToUid: null });
    expect((await booking(c)).startTime?.toISOString()).toBe(new Date(toC!.booking!.start).toISOString());
  });

  it('RESCHEDULED alone creates the never-seen old booking from rescheduleStartTime/EndTime/rescheduleId', async () => {
    const [, rescheduled] = lifecycle('reschedule', { seed: 16 });
    await deliver([rescheduled!]);
    const payload = (rescheduled!.body as { payload: Record<string, unknown> }).payload;
    const old = await booking(String(payload.rescheduleUid));
    expect(old).toMatchObject({
      status: 'rescheduled',
      rescheduledToUid: rescheduled!.uid,
      calBookingId: String(payload.rescheduleId),
    });
    expect(old.startTime?.toISOString()).toBe(new Date(String(payload.rescheduleStartTime)).toISOString());
    expect(old.endTime?.toISOString()).toBe(new Date(String(payload.rescheduleEndTime)).toISOString());
  });

  it('PAYMENT_INITIATED then PAID record payment without touching the status', async () => {
    const sim = makeBooking({ status: 'pending' }, 17);
    const [created] = lifecycle('request-confirm', { booking: sim, seed: 17 });
    const [initiated, paid] = lifecycle('paid', { booking: sim, seed: 17, startAt: '2026-01-15T13:00:00Z' });
    await deliver([created!, initiated!]);
    expect(await booking(sim.uid)).toMatchObject({ status: 'pending', paid: false });
    await deliver([paid!]);
    const row = await booking(sim.uid);
    expect(row).toMatchObject({ status: 'pending', paid: true });
    expect(row.payment).toMatchObject({ success: true, paymentId: sim.id * 10 + 1 });
  });

  it('BOOKING_NO_SHOW_UPDATED records attendee flags with its own newest-wins time', async () => {
    const [created, noShow] = lifecycle('no-show', { seed: 18 });
    await deliver([created!, noShow!]);
    const row = await booking(created!.uid!);
    expect(row.status).toBe('scheduled');
    expect(row.noShowAttendees).toEqual([{ email: created!.booking!.attendee.email, noShow: true }]);
    expect(row.noShowUpdatedAt?.toISOString()).toBe(noShow!.createdAt);
  });

  it('MEETING_STARTED records the start only; MEETING_ENDED completes the booking', async () => {
    const [created, started, ended] = lifecycle('meeting', { seed: 19 });
    await deliver([created!, started!]);
    let row = await booking(created!.uid!);
    expect(row.status).toBe('scheduled');
    expect(row.meetingStartedAt).not.toBeNull();
    expect(row.meetingEndedAt).toBeNull();
    await deliver([ended!]);
    row = await booking(created!.uid!);
    expect(row.status).toBe('completed');
    expect(row.meetingEndedAt).not.toBeNull();
  });

  it('PING, other and unknown triggers are stored and ignored', async () => {
    const sim = makeBooking({}, 20);
    const deliveries = ['PING', 'RECORDING_READY', 'FORM_SUBMITTED', 'OOO_CREATED', 'SOMETHING_NEW_2027'].map((t) =>
      buildDelivery(t, sim, { createdAt: '2026-01-15T12:00:00Z' }),
    );
    const rows = await deliver(deliveries);
    expect(rows.map((r) => r.status)).toEqual(deliveries.map(() => 'ignored'));
    expect(await env.db.select().from(calBookings).where(eq(calBookings.calUid, sim.uid))).toEqual([]);
  });

  it('a duplicate delivery answers duplicate:true and is stored and applied once', async () => {
    const [created] = lifecycle('book', { seed: 21 });
    const first = await sendDelivery(pipeline.url, created!, TEST_SECRET);
    const second = await sendDelivery(pipeline.url, created!, TEST_SECRET);
    expect(JSON.parse(first.body)).toMatchObject({ received: true, duplicate: false });
    expect(second.status).toBe(202);
    expect(JSON.parse(second.body)).toEqual({ received: true, id: JSON.parse(first.body).id, duplicate: true });
    await waitForEvents(env, [JSON.parse(first.body).id]);
    const events = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.bookingUid, created!.uid!));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'processed', attempts: 1, triggerEvent: 'BOOKING_CREATED' });
  });

  it('text PostgreSQL cannot store is cleaned on the way in, and only http(s) links are stored as links', async () => {
    const sim = makeBooking({}, 23);
    // JSON.stringify writes both as escapes: the raw body is plain text, but parsed it holds NUL and a lone surrogate,
    // which PostgreSQL's text and jsonb refuse.
    const hostile = buildDelivery('BOOKING_CREATED', sim, {
      createdAt: '2026-01-15T12:00:00Z',
      extra: { title: 'Intro\u0000 call \ud800!', location: 'javascript:alert(1)', videoCallData: null, metadata: {} },
    });
    expect(hostile.rawBody).toContain('Intro\\u0000 call \\ud800!');
    const [row] = await deliver([hostile]);
    expect(row!.status).toBe('processed');
    const stored = await booking(sim.uid);
    expect(stored.title).toBe('Intro call \uFFFD!');
    expect(stored.meetingUrl).toBeNull();
    expect(stored.location).toBe('javascript:alert(1)');
    const [event] = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, row!.id));
    expect(event!.rawBody).toBe(hostile.rawBody); // the body itself is kept as it came
  });

  it('a signed body in a shape calsync cannot read is kept unrecognized and asks for an incremental sync', async () => {
    const sim = makeBooking({}, 22);
    const broken = buildDelivery('BOOKING_CREATED', sim, { createdAt: '2026-01-15T12:00:00Z', extra: { uid: 42 } });
    const [row] = await deliver([broken]);
    expect(row!.status).toBe('unrecognized');
    const [event] = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, row!.id));
    expect(event).toMatchObject({ rawBody: broken.rawBody, attempts: 1, error: null, triggerEvent: 'BOOKING_CREATED' });
    const runs = await env.db.select().from(calSyncRuns).where(eq(calSyncRuns.kind, 'bookings_sync'));
    expect(runs).toHaveLength(1);
  });
});

describe('webhook pipeline, concurrent and out of order', () => {
  it('shuffled, duplicated deliveries of many bookings sent all at once land as in-order delivery would', async () => {
    const stories = [
      { kind: 'request-confirm', final: ['scheduled'] },
      { kind: 'cancel', final: ['cancelled'] },
      { kind: 'reject', final: ['rejected'] },
      { kind: 'reschedule-chain', final: ['rescheduled', 'rescheduled', 'scheduled'] },
      { kind: 'reschedule-cancel', final: ['rescheduled', 'cancelled'] },
      { kind: 'meeting', final: ['completed'] },
    ] as const;
    const told = stories.flatMap(({ kind, final }, n) =>
      [0, 1].map((copy) => ({ deliveries: lifecycle(kind, { seed: 500 + n * 10 + copy }), final })),
    );
    const stream = perturbStream(
      told.flatMap((s) => s.deliveries),
      { seed: 3, shuffle: true, duplicateRate: 0.3 },
    );
    const answers = await Promise.all(stream.map((d) => sendDelivery(pipeline.url, d, TEST_SECRET)));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await waitForEvents(
      env,
      answers.map((a) => JSON.parse(a.body).id),
    );
    for (const { deliveries, final } of told) {
      const uids = [...new Set(deliveries.map((d) => d.uid!))];
      expect(await Promise.all(uids.map(async (uid) => (await booking(uid)).status))).toEqual(final);
    }
  });
});
