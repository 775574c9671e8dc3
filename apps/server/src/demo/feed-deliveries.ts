import {
  buildDelivery,
  type CalSim,
  createRandom,
  type Delivery,
  type SimBooking,
  sendDelivery,
} from '@calsync/cal-sim';

export interface FeedOptions {
  sim: CalSim;
  /** calsync's POST /cal-webhook URL. */
  webhookUrl: string;
  secret: string;
  /** Deliveries per second, on average (default 3). */
  perSecond?: number;
  seed?: number;
  onError?: (error: Error) => void;
}

/**
 * Plays a busy Cal.com account: books, requests, confirms, cancels and reschedules bookings in the simulator's store,
 * and sends the signed delivery Cal.com would send for each change. The store and the deliveries always agree, so
 * syncs and reconciliation find what the webhooks said. Returns a function that stops the feed.
 */
export function feedDeliveries(options: FeedOptions): { stop: () => Promise<void>; sent: () => number } {
  const { sim } = options;
  const random = createRandom(options.seed ?? Date.now() % 100_000);
  const intervalMs = 1000 / (options.perSecond ?? 3);
  const live: string[] = []; // accepted bookings this feed created, which it may cancel or move
  const pending: string[] = [];
  let sent = 0;
  let stopped = false;

  const futureStart = () => {
    const hours = Math.ceil(Date.now() / 3_600_000) + random.int(2, 24 * 30);
    return new Date(hours * 3_600_000).toISOString();
  };
  const takeRandom = (list: string[]) => list.splice(random.int(0, list.length - 1), 1)[0];

  function nextChange(): Delivery {
    const roll = random.int(1, 100);
    if (roll <= 15 && live.length > 3) {
      const uid = takeRandom(live)!;
      return buildDelivery('BOOKING_CANCELLED', sim.store.cancelBooking(uid, 'Something came up'));
    }
    if (roll <= 30 && live.length > 3) {
      const uid = takeRandom(live)!;
      const previous: SimBooking = structuredClone(sim.store.toSimBooking(uid));
      const fresh = sim.store.rescheduleBooking(uid, futureStart());
      live.push(fresh.uid);
      return buildDelivery('BOOKING_RESCHEDULED', fresh, { previous });
    }
    if (roll <= 40 && pending.length > 0) {
      const uid = takeRandom(pending)!;
      live.push(uid);
      return buildDelivery('BOOKING_CREATED', sim.store.updateBooking(uid, { status: 'accepted' }));
    }
    if (roll <= 52) {
      const booking = sim.store.createBooking({ start: futureStart(), status: 'pending', requiresConfirmation: true });
      pending.push(booking.uid);
      return buildDelivery('BOOKING_REQUESTED', booking);
    }
    const booking = sim.store.createBooking({ start: futureStart() });
    live.push(booking.uid);
    return buildDelivery('BOOKING_CREATED', booking);
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await sendDelivery(options.webhookUrl, nextChange(), options.secret);
        sent += 1;
      } catch (error) {
        options.onError?.(error as Error);
      }
      // Jitter around the average rate, like real traffic.
      await new Promise((resolve) => setTimeout(resolve, intervalMs * (0.5 + random.int(0, 100) / 100)));
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
    sent: () => sent,
  };
}
