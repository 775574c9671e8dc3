import { createRandom } from '../random.ts';
import { defaultEventTypes, makeBooking } from '../webhooks/make-booking.ts';
import type { SimBooking } from '../webhooks/types.ts';
import type { SimEventType } from './types.ts';

const day = 86_400_000;

/** `count` event types: Cal.com-like defaults first, then generated ones. */
export function generateEventTypes(count: number): SimEventType[] {
  return Array.from({ length: count }, (_, index) => {
    const known = defaultEventTypes[index];
    const base = known ?? {
      id: 101 + index,
      slug: `meeting-type-${index + 1}`,
      title: `Meeting type ${index + 1}`,
      lengthInMinutes: [15, 30, 45, 60][index % 4]!,
      price: 0,
      currency: 'usd',
    };
    return {
      ...base,
      description: `${base.title}, booked through the simulator.`,
      hidden: false,
      locations:
        index % 3 === 2 ? [{ type: 'address', address: 'Calcom HQ, 1 Main St' }] : [{ type: 'integration:daily' }],
    };
  });
}

/**
 * `count` bookings across `eventTypes`, deterministic for `seed`: accepted past and future, pending, cancelled,
 * rejected, and reschedule pairs (old `cancelled` with `rescheduledToUid`, new with `rescheduledFromUid`).
 * updatedAt is spread over the 90 days before `now`, with some exact ties so sort tie-breaks matter.
 */
export function generateBookings(count: number, eventTypes: readonly SimEventType[], seed: number, now: Date) {
  if (eventTypes.length === 0) throw new Error('generateBookings: at least one event type is needed');
  const random = createRandom(seed);
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  const bookings: SimBooking[] = [];
  const seen = new Set<string>();
  const next = (overrides: Partial<SimBooking>): SimBooking => {
    const id = bookings.length + 1;
    let booking = makeBooking(overrides, seed * 1_000_003 + id);
    while (seen.has(booking.uid)) booking = { ...booking, uid: random.uid() };
    seen.add(booking.uid);
    booking = { ...booking, id };
    bookings.push(booking);
    return booking;
  };
  while (bookings.length < count) {
    const eventType = random.pick(eventTypes);
    const start =
      Math.floor((nowMs + random.int(-90, 60) * day + random.int(8, 17) * 3_600_000) / 1_800_000) * 1_800_000;
    const createdAt = secondOf(
      Math.min(nowMs - random.int(0, 90) * 1000, start - random.int(1, 30) * day + random.int(0, day)),
    );
    const lastUpdate = Date.parse(bookings.at(-1)?.updatedAt ?? '');
    // Some bookings share the previous one's updatedAt exactly, so sort tie-breaks matter.
    const updatedAt =
      lastUpdate >= createdAt && random.chance(0.05)
        ? lastUpdate
        : secondOf(createdAt + random.next() * (nowMs - createdAt));
    const shape = {
      eventTypeId: eventType.id,
      eventTypeSlug: eventType.slug,
      eventTypeTitle: eventType.title,
      price: eventType.price,
      currency: eventType.currency,
      start: new Date(start).toISOString(),
      end: new Date(start + eventType.lengthInMinutes * 60_000).toISOString(),
      createdAt: new Date(createdAt).toISOString(),
      updatedAt: new Date(updatedAt).toISOString(),
    };
    const roll = random.next();
    if (roll < 0.1 && start > nowMs) next({ ...shape, status: 'pending', requiresConfirmation: true });
    else if (roll < 0.18) next({ ...shape, status: 'cancelled', cancellationReason: 'Plans changed' });
    else if (roll < 0.22)
      next({ ...shape, status: 'rejected', rejectionReason: 'Fully booked', requiresConfirmation: true });
    else if (roll < 0.3 && bookings.length + 2 <= count) addReschedulePair(shape, next, random.int(1, 7) * day);
    else next({ ...shape, status: 'accepted' });
  }
  return bookings;
}

const secondOf = (ms: number) => Math.floor(ms / 1000) * 1000;

function addReschedulePair(
  shape: Partial<SimBooking> & { start: string; end: string; updatedAt: string },
  next: (overrides: Partial<SimBooking>) => SimBooking,
  shiftMs: number,
) {
  const old = next({ ...shape, status: 'cancelled' });
  const fresh = next({
    ...shape,
    status: 'accepted',
    start: new Date(Date.parse(shape.start) + shiftMs).toISOString(),
    end: new Date(Date.parse(shape.end) + shiftMs).toISOString(),
    createdAt: shape.updatedAt,
    rescheduledFromUid: old.uid,
    rescheduledFromId: old.id,
    reschedulingReason: 'Conflict came up',
  });
  old.rescheduledToUid = fresh.uid;
  old.rescheduledByEmail = old.attendee.email;
  old.cancellationReason = 'Rescheduled';
  // The attendee on both halves is the same person.
  fresh.attendee = old.attendee;
  fresh.title = old.title;
}
