import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fidelity, startFidelity } from '../../test/fidelity-harness.ts';

// API v2 booking fields are looser than their names (apps/api/v2/src/ee/bookings/2024-08-13/services/output.service.ts):
// `meetingUrl` and `location` are both `metadata.videoCallUrl || booking.location`, reasons nobody gave are `""`, and
// the host's no-show is only `absentHost`. The simulator renders bookings the same way (packages/cal-sim/src/server/v2-shapes.ts).

const env = useTestEnv();
let f: Fidelity;
beforeAll(async () => {
  f = await startFidelity(env, { bookings: 5 });
});
afterAll(async () => await f?.close());

describe('loose API v2 fields, through a sync', () => {
  it('an address or a phone number is a location, never a meeting link; "" reasons are null; absentHost is kept', async () => {
    const address = '221B Baker Street, London NW1 6XE';
    const phone = '+44 20 7946 0958';
    const atAddress = f.sim.store.createBooking({ location: address, meetingUrl: null, start: '2027-02-01T10:00:00Z' });
    const byPhone = f.sim.store.createBooking({ location: phone, meetingUrl: null, start: '2027-02-01T11:00:00Z' });
    const video = f.sim.store.createBooking({
      location: 'integrations:daily',
      meetingUrl: 'https://app.cal.com/video/abc',
      start: '2027-02-01T12:00:00Z',
    });
    const hostAbsent = f.sim.store.createBooking({ start: '2026-01-05T10:00:00Z', end: '2026-01-05T10:30:00Z' });
    f.sim.store.markHostAbsent(hostAbsent.uid);

    expect(await f.sync('bookings_sync')).toMatchObject({ status: 'succeeded', itemsSkipped: 0 });

    expect(await f.booking(atAddress.uid)).toMatchObject({
      meetingUrl: null,
      location: address,
      cancellationReason: null,
      status: 'scheduled',
    });
    expect(await f.booking(byPhone.uid)).toMatchObject({ meetingUrl: null, location: phone, cancellationReason: null });
    // The API answers the video link in both fields.
    expect(await f.booking(video.uid)).toMatchObject({
      meetingUrl: 'https://app.cal.com/video/abc',
      location: 'https://app.cal.com/video/abc',
    });
    expect(await f.booking(hostAbsent.uid)).toMatchObject({ noShowHost: true, status: 'completed' });
    // What the API answered, kept whole: the "" the row does not show is still there.
    expect((await f.booking(atAddress.uid)).metadata).toMatchObject({ cancellationReason: '', location: address });
  });
});
