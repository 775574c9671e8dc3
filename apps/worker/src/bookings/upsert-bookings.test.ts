import { calBookings } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type BookingState, emptyBookingState } from './booking-state.ts';
import { type BookingUpsert, upsertBookings } from './upsert-bookings.ts';

const env = useTestEnv();

function state(uid: string, overrides: Partial<BookingState> = {}): BookingState {
  return { ...emptyBookingState(uid, 'scheduled'), ...overrides };
}
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const webhook = (s: BookingState, minute: number, fillOnly = false): BookingUpsert => ({
  state: s,
  infoAt: at(minute),
  source: 'webhook',
  fillOnly,
});

async function row(uid: string) {
  const [found] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, uid));
  if (!found) throw new Error(`no row for ${uid}`);
  return found;
}

describe('upsertBookings (the merge rule)', () => {
  it('reports created, unchanged, updated and stale, and only fills unknown columns from older information', async () => {
    const base = state('u-1', { title: 'Intro', calBookingId: '101', metadata: { a: 1 } });
    expect(await upsertBookings(env.db, [webhook(base, 1)])).toEqual(['created']);
    const before = await row('u-1');
    expect(await upsertBookings(env.db, [webhook(base, 1)])).toEqual(['unchanged']);
    expect((await row('u-1')).updatedAt).toEqual(before.updatedAt);

    const cancelled = state('u-1', { status: 'cancelled', cancellationReason: 'ill', title: null });
    expect(await upsertBookings(env.db, [webhook(cancelled, 5)])).toEqual(['updated']);
    let current = await row('u-1');
    expect(current).toMatchObject({
      status: 'cancelled',
      title: 'Intro',
      cancellationReason: 'ill',
      calBookingId: '101',
    });
    expect(current.sourceUpdatedAt).toEqual(at(5));

    const older = state('u-1', { status: 'scheduled', title: 'Old title', location: 'Berlin' });
    expect(await upsertBookings(env.db, [webhook(older, 2)])).toEqual(['stale']);
    current = await row('u-1');
    expect(current).toMatchObject({ status: 'cancelled', title: 'Intro', location: 'Berlin' });
    expect(current.sourceUpdatedAt).toEqual(at(5));
  });

  it('splits a batch that names one uid twice and applies both in order', async () => {
    const outcomes = await upsertBookings(env.db, [
      webhook(state('u-2', { status: 'pending', title: 'T' }), 1),
      webhook(state('u-3'), 1),
      webhook(state('u-2', { status: 'scheduled' }), 2),
    ]);
    expect(outcomes).toEqual(['created', 'created', 'updated']);
    expect(await row('u-2')).toMatchObject({ status: 'scheduled', title: 'T' });
  });

  it('never lets completed replace a cancellation, in either order', async () => {
    const cancelled = state('u-4', { status: 'cancelled' });
    const completed = state('u-5', { status: 'completed' });
    await upsertBookings(env.db, [webhook(cancelled, 1), webhook(completed, 2)]);
    await upsertBookings(env.db, [
      webhook(state('u-4', { status: 'completed' }), 2),
      webhook(state('u-5', { status: 'cancelled' }), 1),
    ]);
    expect((await row('u-4')).status).toBe('cancelled');
    expect((await row('u-5')).status).toBe('cancelled');
  });

  it('does not revert a finished meeting to scheduled', async () => {
    const past = { startTime: new Date('2025-01-01T10:00:00Z'), endTime: new Date('2025-01-01T10:30:00Z') };
    await upsertBookings(env.db, [webhook(state('u-6', { ...past, status: 'completed' }), 1)]);
    expect(await upsertBookings(env.db, [webhook(state('u-6', past), 2)])).toEqual(['updated']);
    expect((await row('u-6')).status).toBe('completed');
  });

  it('fill-only facts create an unknown booking that any real information then overrides', async () => {
    expect(await upsertBookings(env.db, [webhook(state('u-7', { title: 'from PAID' }), 9, true)])).toEqual(['created']);
    expect((await row('u-7')).sourceUpdatedAt).toBeNull();
    await upsertBookings(env.db, [webhook(state('u-7', { status: 'pending', title: 'real' }), 1)]);
    expect(await row('u-7')).toMatchObject({ status: 'pending', title: 'real' });
    expect(await upsertBookings(env.db, [webhook(state('u-7', { location: 'x' }), 9, true)])).toEqual(['stale']);
    expect(await row('u-7')).toMatchObject({ status: 'pending', location: 'x' });
  });

  it('converges whatever the arrival order', async () => {
    const events = [
      (uid: string) => webhook(state(uid, { status: 'pending', title: 'A', metadata: { step: 1 } }), 1),
      (uid: string) => webhook(state(uid, { status: 'scheduled', meetingUrl: 'https://m', metadata: { step: 2 } }), 2),
      (uid: string) => webhook(state(uid, { status: 'cancelled', cancellationReason: 'r', metadata: { step: 3 } }), 3),
    ];
    const orders = [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0, 1],
      [2, 0, 2, 1],
    ];
    const rows = [];
    for (const [n, order] of orders.entries()) {
      for (const i of order) await upsertBookings(env.db, [events[i]!(`conv-${n}`)]);
      const { id, calUid, createdAt, updatedAt, ...rest } = await row(`conv-${n}`);
      rows.push(rest);
    }
    for (const r of rows) expect(r).toEqual(rows[0]);
    expect(rows[0]).toMatchObject({ status: 'cancelled', title: 'A', meetingUrl: 'https://m', metadata: { step: 3 } });
  });
});
