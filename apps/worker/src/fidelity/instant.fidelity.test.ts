import { calBookings } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fidelity, startFidelity } from '../../test/fidelity-harness.ts';

// Instant meetings no host has taken (packages/features/bookings/lib/service/InstantBookingCreateService.ts makes
// the booking with no user and status AWAITING_HOST); API v2 renders that host through `getHost(null)` as
// `{id: "unknown", …}` (apps/api/v2/src/ee/bookings/2024-08-13/services/output.service.ts). The simulator's store
// (packages/cal-sim/src/store/series-and-instant.ts) and renderer (v2-shapes.ts) follow both files.

const env = useTestEnv();
let f: Fidelity;
beforeAll(async () => {
  f = await startFidelity(env, { bookings: 10 });
});
afterAll(async () => await f?.close());

describe('instant meetings awaiting a host, end to end', () => {
  it('a sync takes the awaiting_host booking with host id "unknown" and mirrors it as pending', async () => {
    const { booking, deliveries } = f.sim.store.createInstantMeeting();
    // INSTANT_MEETING carries the service's small object, not a booking: the webhook alone makes no row.
    await f.deliver(deliveries);

    const run = await f.sync('bookings_sync');
    expect(run).toMatchObject({ status: 'succeeded', error: null, itemsSkipped: 0 });
    const row = await f.booking(booking.uid);
    expect(row).toMatchObject({
      status: 'pending',
      calStatus: 'awaiting_host',
      calBookingId: String(booking.id),
      attendeeEmail: booking.attendee.email,
      meetingUrl: `https://app.cal.com/video/${booking.uid}`,
      organizerTimezone: null,
    });
    expect(row.metadata).toMatchObject({ hosts: [{ id: 'unknown' }] });
    const rows = await env.db.select().from(calBookings).where(eq(calBookings.status, 'pending'));
    expect(rows.map((r) => r.calUid)).toContain(booking.uid);
  });
});
