import { type Database, listen, outboundDeliveries, queryRow } from '@calsync/db';
import { outboundOldestPending } from '@calsync/service-kit';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { claimDue } from './claim.ts';
import { fanOut } from './fan-out.ts';
import { createRecorder } from './recorder.ts';
import { type SendSettings, sendOne } from './send-one.ts';

/** The channel migration 0005's triggers notify once per transaction that wrote Changes. */
const CHANGES_CHANNEL = 'calsync_changes';

export interface DispatcherOptions {
  db: Database;
  log: Logger;
  allowPrivate: boolean;
  /** The clock that schedules retries and measures the failing window (a fake in tests). */
  now?: () => Date;
  /** The safety-net poll, which also finds retries that fell due (default 1 s). */
  pollMs?: number;
  /** No answer within this is a failed try (default 15 s). */
  timeoutMs?: number;
  /** Failing this long without one success pauses an endpoint (default 5 days). */
  pauseAfterMs?: number;
  /** Deliveries in flight at once in this process (default 64). */
  concurrency?: number;
}

export interface Dispatcher {
  /** Fans out and sends now instead of at the next notification or poll (tests move their clock, then call it). */
  wake: () => void;
  /** Stops claiming and waits for the sends in flight. */
  close: () => Promise<void>;
}

/**
 * Follows the change feed and sends every Change to the endpoints that want it. A notification (or the poll) only
 * says "look": fan-out reads the table after each endpoint's cursor, so a missed notification loses nothing.
 */
export async function startDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  const { db, log } = options;
  const now = options.now ?? (() => new Date());
  const concurrency = options.concurrency ?? 64;
  const claimAtFree = Math.max(1, Math.floor(concurrency / 4));
  const settings: SendSettings = {
    allowPrivate: options.allowPrivate,
    timeoutMs: options.timeoutMs ?? 15_000,
    pauseAfterMs: options.pauseAfterMs ?? 5 * 24 * 3_600_000,
  };
  // Longer than a send can take, so a live sender's claim never runs out under it.
  const leaseMs = settings.timeoutMs + 30_000;
  const recorder = createRecorder(db, now, settings.pauseAfterMs);
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  let round: Promise<void> | null = null;
  let again = false;
  // Whether the last round found an endpoint. Without one a Change has nowhere to go: notifications then wake nothing
  // (two statements for every committed transaction, for nothing) and the poll alone looks for a new endpoint, which
  // loses nothing, since an endpoint receives only the Changes written after it was added.
  let endpointsSeen = true;

  async function runRound() {
    const { endpoints } = await fanOut(db, now());
    endpointsSeen = endpoints > 0;
    // No endpoint, no delivery row (they go with their endpoint): nothing to claim.
    if (!endpointsSeen && inFlight.size === 0) return;
    // Claims wait for a few free lanes (or an idle process): one claim per finished send would cost a round trip each.
    while (!closed && (inFlight.size === 0 || concurrency - inFlight.size >= claimAtFree)) {
      const claimed = await claimDue(db, now(), concurrency - inFlight.size, leaseMs);
      for (const delivery of claimed) {
        const sending = sendOne({ log, now, settings, recorder }, delivery)
          .catch((err) => log.error({ err, deliveryId: delivery.id }, 'recording an outbound attempt failed'))
          // A finished send frees a lane and may unblock the next message of its booking.
          .finally(() => {
            inFlight.delete(sending);
            wake();
          });
        inFlight.add(sending);
      }
      if (claimed.length === 0) break;
    }
  }

  function wake() {
    if (closed) return;
    if (round) {
      again = true;
      return;
    }
    round = (async () => {
      do {
        again = false;
        await runRound();
      } while (again && !closed);
    })()
      .catch((err) => log.warn({ err }, 'outbound dispatch failed; the next notification or poll retries'))
      .finally(() => {
        round = null;
        if (again && !closed) wake();
      });
  }

  async function measureBacklog() {
    const d = outboundDeliveries;
    const row = await queryRow<{ age: number | null }>(
      db,
      sql`
      select extract(epoch from ${now().toISOString()}::timestamptz - min(${d.createdAt}))::float8 as age
      from ${d} where ${d.status} in ('pending', 'sending')`,
    );
    outboundOldestPending.set(Math.max(row?.age ?? 0, 0));
  }

  // postgres.js re-runs LISTEN after a reconnect and calls the last argument each time: look for what was missed.
  const stopListening = await listen(
    db,
    CHANGES_CHANNEL,
    () => {
      if (endpointsSeen) wake();
    },
    wake,
  );
  const poll = setInterval(() => {
    wake();
    measureBacklog().catch((err) => log.debug({ err }, 'measuring the outbound backlog failed'));
  }, options.pollMs ?? 1_000);
  poll.unref();
  wake();

  return {
    wake,
    close: async () => {
      closed = true;
      clearInterval(poll);
      await stopListening().catch(() => {});
      await round;
      await Promise.all(inFlight);
    },
  };
}
