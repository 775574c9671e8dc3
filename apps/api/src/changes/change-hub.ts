import { type Database, listen } from '@calsync/db';
import type { FastifyBaseLogger } from 'fastify';
import { type Change, latestChangeId, readChanges } from './read-changes.ts';

/** The channel migration 0005's triggers notify once per committing transaction that wrote Changes. */
export const CHANGES_CHANNEL = 'calsync_changes';
const PAGE = 500;

export interface ChangeHubOptions {
  db: Database;
  log: FastifyBaseLogger;
  /** The safety-net poll: a notification missed (listener reconnecting, a pooler without LISTEN) costs at most this. */
  pollMs?: number;
}

export interface Subscriber {
  /** Receives Changes in id order, each exactly once, starting after the id it subscribed with. */
  deliver: (changes: Change[]) => void;
  /** Awaited between pages of the catch-up, so a client resuming far back is fed as fast as it reads. */
  ready?: () => Promise<void>;
}

export interface ChangeHub {
  /**
   * Delivers every Change after `after` (null: only those written from now on), then each new one as it commits.
   * Returns the unsubscribe function.
   */
  subscribe(after: bigint | null, subscriber: Subscriber): Promise<() => void>;
  /** Open subscriptions (the `calsync_stream_clients` gauge). */
  readonly size: number;
  close(): Promise<void>;
}

interface Subscription extends Subscriber {
  cursor: bigint;
  /** Null once caught up: new Changes then go straight to `deliver`. */
  backlog: Change[] | null;
}

/**
 * One per process: one LISTEN connection, one reader of the table, fan-out in memory. A notification (or the poll)
 * only says "look": the hub reads the table after the last id it delivered, so a missed notification loses nothing.
 * Starts on the first subscription.
 */
export function createChangeHub({ db, log, pollMs = 3_000 }: ChangeHubOptions): ChangeHub {
  const subscriptions = new Set<Subscription>();
  let cursor: bigint | null = null;
  let started: Promise<void> | null = null;
  let stopListening: (() => Promise<void>) | null = null;
  let poll: NodeJS.Timeout | null = null;
  let reading: Promise<void> | null = null;
  let readAgain = false;
  let closed = false;

  async function start() {
    cursor = await latestChangeId(db);
    // postgres.js re-runs LISTEN after a reconnect and calls the last argument each time: read what was missed.
    stopListening = await listen(
      db,
      CHANGES_CHANNEL,
      () => void pump(),
      () => void pump(),
    );
    poll = setInterval(() => void pump(), pollMs);
    poll.unref();
  }

  /** Reads and broadcasts until nothing is new; concurrent calls fold into one more round. */
  function pump(): Promise<void> {
    if (reading) {
      readAgain = true;
      return reading;
    }
    reading = (async () => {
      do {
        readAgain = false;
        await readNew();
      } while (readAgain && !closed);
    })()
      .catch((err) => log.warn({ err }, 'reading new changes failed; the next notification or poll retries'))
      .finally(() => {
        reading = null;
        // A wake-up that came after the last read but before this point still gets its read.
        if (readAgain && !closed) void pump();
      });
    return reading;
  }

  async function readNew() {
    while (!closed && cursor !== null) {
      const changes = await readChanges(db, cursor, PAGE);
      if (changes.length === 0) return;
      cursor = BigInt(changes.at(-1)!.id);
      for (const subscription of subscriptions) offer(subscription, changes);
      if (changes.length < PAGE) return;
    }
  }

  function offer(subscription: Subscription, changes: Change[]) {
    if (subscription.backlog) {
      subscription.backlog.push(...changes);
      return;
    }
    send(subscription, changes);
  }

  function send(subscription: Subscription, changes: Change[]) {
    const fresh = changes.filter((c) => BigInt(c.id) > subscription.cursor);
    if (fresh.length === 0) return;
    subscription.cursor = BigInt(fresh.at(-1)!.id);
    subscription.deliver(fresh);
  }

  return {
    get size() {
      return subscriptions.size;
    },
    async subscribe(after, subscriber) {
      if (closed) throw new Error('the change hub is closed');
      started ??= start().catch((error) => {
        started = null; // the next subscription tries again
        throw error;
      });
      await started;
      const from = after ?? (await latestChangeId(db));
      const subscription: Subscription = { ...subscriber, cursor: from, backlog: [] };
      // Registered before catching up: what the hub broadcasts meanwhile waits in the backlog, and whatever the
      // catch-up already delivered is filtered out by id, so nothing is lost or sent twice.
      subscriptions.add(subscription);
      const unsubscribe = () => void subscriptions.delete(subscription);
      try {
        for (;;) {
          await subscriber.ready?.();
          const changes = await readChanges(db, subscription.cursor, PAGE);
          send(subscription, changes);
          if (changes.length < PAGE || !subscriptions.has(subscription)) break;
        }
      } catch (error) {
        unsubscribe();
        throw error;
      }
      const backlog = subscription.backlog ?? [];
      subscription.backlog = null;
      send(subscription, backlog);
      return unsubscribe;
    },
    async close() {
      closed = true;
      if (poll) clearInterval(poll);
      subscriptions.clear();
      await reading;
      await stopListening?.().catch(() => {});
    },
  };
}
