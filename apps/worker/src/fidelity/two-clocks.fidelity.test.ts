import { buildDelivery } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fidelity, startFidelity } from '../../test/fidelity-harness.ts';

// Two clocks: a webhook's `createdAt` is when it was sent (packages/features/webhooks/lib/sendPayload.ts), an API
// booking's `updatedAt` is when its row last changed. Cal.com's async tasker can send a delivery built from an older
// state after a later change already happened, so the delivery looks newer than the truth.

const env = useTestEnv();
const MINUTE = 60_000;
// The account's own clock, set back so the upstream change is settled (older than SETTLE_WINDOW_MS) by test time.
let accountNow = Date.now() - 30 * MINUTE;
let f: Fidelity;
beforeAll(async () => {
  f = await startFidelity(env, { bookings: 5, now: () => new Date(accountNow) });
});
afterAll(async () => await f?.close());

describe('a late webhook carrying an older state', () => {
  it('hides the truth through incremental syncs until a reconciliation makes the row equal the API', async () => {
    const booking = f.sim.store.createBooking({ start: '2027-09-01T10:00:00Z' });
    const asBooked = structuredClone(booking);
    accountNow += 5 * MINUTE;
    const cancelled = f.sim.store.cancelBooking(booking.uid, 'Organizer is ill');
    // Sent two minutes after the cancellation, but built from the booking as it was before.
    const late = buildDelivery('BOOKING_CREATED', asBooked, { createdAt: new Date(accountNow + 2 * MINUTE) });
    expect(Date.parse(late.createdAt)).toBeGreaterThan(Date.parse(cancelled.updatedAt));

    await f.deliver([late]);
    expect((await f.booking(booking.uid)).status).toBe('scheduled');
    // The API says cancelled, but with an updatedAt older than the delivery's createdAt: newest-wins keeps the lie.
    expect(await f.sync('bookings_sync')).toMatchObject({ status: 'succeeded' });
    expect(await f.booking(booking.uid)).toMatchObject({ status: 'scheduled', source: 'webhook' });

    const run = await f.sync('reconcile');
    expect(run).toMatchObject({ status: 'succeeded', rowsUpdated: 1, rowsCreated: 0, itemsSkipped: 0 });
    expect(await f.booking(booking.uid)).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Organizer is ill',
      calStatus: 'cancelled',
      source: 'reconcile',
    });

    // Equal to the API now, so the next reconciliation corrects nothing.
    expect(await f.sync('reconcile')).toMatchObject({ status: 'succeeded', rowsUpdated: 0, rowsCreated: 0 });
  });
});
