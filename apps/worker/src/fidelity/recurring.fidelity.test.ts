import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fidelity, startFidelity } from '../../test/fidelity-harness.ts';

// Recurring series as Cal.com makes them (packages/features/bookings/lib/service/RecurringBookingService.ts: one
// booking per occurrence, each with its own uid and webhook) and cancels them ("cancel all remaining" in
// handleCancelBooking.ts sends ONE BOOKING_CANCELLED), through the simulator's store
// (packages/cal-sim/src/store/series-and-instant.ts).

const env = useTestEnv();
let f: Fidelity;
beforeAll(async () => {
  f = await startFidelity(env, { bookings: 10 });
});
afterAll(async () => await f?.close());

describe('recurring series, end to end', () => {
  it('occurrences are separate rows linked by recurring_booking_uid; cancel-all-remaining reaches them by sync', async () => {
    const { bookings, deliveries } = f.sim.store.createRecurringSeries({ start: '2027-06-07T09:00:00Z', count: 4 });
    const series = bookings[0]!.recurringBookingUid;
    expect(series).toBeTruthy();
    await f.deliver(deliveries);
    expect(await f.sync('bookings_sync')).toMatchObject({ status: 'succeeded', itemsSkipped: 0 });
    const rows = await Promise.all(bookings.map((b) => f.booking(b.uid)));
    expect(rows.map((r) => [r.calBookingId, r.status, r.recurringBookingUid])).toEqual(
      bookings.map((b) => [String(b.id), 'scheduled', series]),
    );
    expect(new Set(rows.map((r) => r.startTime?.toISOString())).size).toBe(4);

    // One delivery about the second occurrence; the later ones are cancelled upstream without a webhook.
    const cancelled = f.sim.store.cancelRemainingOccurrences(bookings[1]!.uid);
    expect(cancelled.deliveries).toHaveLength(1);
    await f.deliver(cancelled.deliveries);
    expect((await f.booking(bookings[1]!.uid)).status).toBe('cancelled');

    expect(await f.sync('bookings_sync')).toMatchObject({ status: 'succeeded', itemsSkipped: 0 });
    // Every occurrence not yet ended was cancelled, the first included (none has started in 2027).
    const after = await Promise.all(bookings.map(async (b) => (await f.booking(b.uid)).status));
    expect(after).toEqual(
      bookings.map((b) => (f.sim.store.requireBooking(b.uid).status === 'cancelled' ? 'cancelled' : 'scheduled')),
    );
    expect(after.filter((s) => s === 'cancelled')).toHaveLength(4);
  });
});
