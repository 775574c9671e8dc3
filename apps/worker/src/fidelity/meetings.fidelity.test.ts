import { buildDelivery, buildMeetingEnvelopeDelivery, type SimBooking } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fidelity, startFidelity } from '../../test/fidelity-harness.ts';

// MEETING_STARTED / MEETING_ENDED in both forms Cal.com sends: the legacy flat booking row
// (packages/features/webhooks/lib/scheduleTrigger.ts, built by the simulator's `buildDelivery`) and the envelope of
// factory/versioned/v2021-10-20/MeetingPayloadBuilder.ts (`buildMeetingEnvelopeDelivery`).

const env = useTestEnv();
let f: Fidelity;
beforeAll(async () => {
  f = await startFidelity(env, { bookings: 5 });
});
afterAll(async () => await f?.close());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** A booking that started 40 minutes ago and ended 10 minutes ago, and its BOOKING_CREATED. */
function pastBooking(): { booking: SimBooking; created: ReturnType<typeof buildDelivery> } {
  const booking = f.sim.store.createBooking({ start: minutesAgo(40), end: minutesAgo(10) });
  return {
    booking,
    created: buildDelivery('BOOKING_CREATED', structuredClone(booking), { createdAt: minutesAgo(60) }),
  };
}

describe('MEETING_STARTED / MEETING_ENDED, end to end', () => {
  it('flat form: the start and the end are recorded and the past booking becomes completed', async () => {
    const { booking, created } = pastBooking();
    await f.deliver([created, buildDelivery('MEETING_STARTED', structuredClone(booking))]);
    const started = await f.booking(booking.uid);
    expect(started).toMatchObject({ status: 'scheduled', meetingEndedAt: null });
    expect(started.meetingStartedAt).not.toBeNull();
    await f.deliver([buildDelivery('MEETING_ENDED', structuredClone(booking))]);
    const ended = await f.booking(booking.uid);
    expect(ended.status).toBe('completed');
    expect(ended.meetingEndedAt).not.toBeNull();
    expect(ended.meetingStartedAt).toEqual(started.meetingStartedAt);
  });

  it('envelope form: the start and the end are the envelope times and the past booking becomes completed', async () => {
    const { booking, created } = pastBooking();
    const startedAt = minutesAgo(39);
    const endedAt = minutesAgo(10);
    await f.deliver([
      created,
      buildMeetingEnvelopeDelivery('MEETING_STARTED', structuredClone(booking), { createdAt: startedAt }),
    ]);
    expect(await f.booking(booking.uid)).toMatchObject({ status: 'scheduled', meetingStartedAt: new Date(startedAt) });
    await f.deliver([buildMeetingEnvelopeDelivery('MEETING_ENDED', structuredClone(booking), { createdAt: endedAt })]);
    expect(await f.booking(booking.uid)).toMatchObject({
      status: 'completed',
      meetingStartedAt: new Date(startedAt),
      meetingEndedAt: new Date(endedAt),
    });
  });

  it('envelope form before the booking is known: the row is made from it, and ends completed once created', async () => {
    const { booking, created } = pastBooking();
    await f.deliver([buildMeetingEnvelopeDelivery('MEETING_ENDED', structuredClone(booking))]);
    await f.deliver([created]);
    const row = await f.booking(booking.uid);
    expect(row).toMatchObject({ status: 'completed', calBookingId: String(booking.id), title: booking.title });
    expect(row.meetingEndedAt).not.toBeNull();
  });

  it('a meeting that ended early keeps a booking whose end has not passed scheduled, with the end recorded', async () => {
    const booking = f.sim.store.createBooking({
      start: minutesAgo(5),
      end: new Date(Date.now() + 25 * 60_000).toISOString(),
    });
    const created = buildDelivery('BOOKING_CREATED', structuredClone(booking), { createdAt: minutesAgo(30) });
    await f.deliver([created, buildMeetingEnvelopeDelivery('MEETING_ENDED', structuredClone(booking))]);
    const row = await f.booking(booking.uid);
    expect(row.status).toBe('scheduled');
    expect(row.meetingEndedAt).not.toBeNull();
  });
});
