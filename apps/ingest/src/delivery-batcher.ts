/** One delivery waiting for the durable stores. */
export interface PendingDelivery {
  id: string;
  /** The body as text, or its bytes in base64 when `bodyEncoding` says so. */
  rawBody: string;
  /** `base64` for bodies PostgreSQL cannot hold as text (not UTF-8, NUL bytes); absent means `utf8`. */
  bodyEncoding?: 'utf8' | 'base64';
  triggerEvent: string;
  bookingUid: string | null;
  sentAt: Date | null;
  /** ISO with microseconds, unique per request (see `nextReceivedAt`). */
  receivedAt: string;
}

/**
 * The two durable stores; each call writes a whole batch in one round trip and returns the ids that store had not
 * seen before (its duplicate verdict).
 */
export interface DeliveryStores {
  /** Inserts the rows (duplicates ignored) and returns the ids it inserted. */
  insertRows: (items: PendingDelivery[]) => Promise<Set<string>>;
  /** Enqueues one job per delivery (job id = delivery id) and returns the ids Redis had not seen before. */
  enqueue: (items: PendingDelivery[]) => Promise<Set<string>>;
}

export type DeliveryFate = { stored: true; duplicate: boolean } | { stored: false; reason: string };

export interface BatcherOptions {
  maxBatch?: number;
  /** Each store call's limit: a dead store must not hang the request. */
  storeTimeoutMs?: number;
  /** Told about every failed store call (the other store may still have taken the batch). */
  onStoreError?: (store: 'postgres' | 'redis', error: Error, size: number) => void;
}

/**
 * Group commit: deliveries that arrive in the same event-loop turn (up to `maxBatch`) go to both stores together,
 * in parallel, and both writes always run to the end. Each delivery's promise settles at the FIRST store that takes
 * its batch (a 202 means durable in at least one store; the row may land in PostgreSQL just after): when one store
 * fails it waits for the other, and only when both fail is it refused.
 *
 * `duplicate` is the verdict of the store that answered first: PostgreSQL's (the row already existed) or Redis's
 * (the delivery's seen-marker, kept 7 days, already existed), and a second copy inside one batch is a duplicate.
 * Both stores see every copy, so their verdicts agree and the flag is exact while Redis keeps its data. It is only a
 * label (both copies are stored and applied once either way) and can be wrong after Redis lost its data, after a
 * store refused an earlier copy, or for two copies racing through different ingest processes at the same instant.
 */
export class DeliveryBatcher {
  readonly #stores: DeliveryStores;
  readonly #maxBatch: number;
  readonly #timeoutMs: number;
  readonly #onStoreError: NonNullable<BatcherOptions['onStoreError']>;
  #pending: Array<{ item: PendingDelivery; resolve: (fate: DeliveryFate) => void }> = [];
  #scheduled = false;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(stores: DeliveryStores, options: BatcherOptions = {}) {
    this.#stores = stores;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#timeoutMs = options.storeTimeoutMs ?? 2_000;
    this.#onStoreError = options.onStoreError ?? (() => {});
  }

  submit(item: PendingDelivery): Promise<DeliveryFate> {
    return new Promise((resolve) => {
      this.#pending.push({ item, resolve });
      if (this.#pending.length >= this.#maxBatch) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Waits for every batch already handed to the stores (both writes, not only the first answer). */
  async drain(): Promise<void> {
    if (this.#pending.length > 0) this.#flush();
    await Promise.allSettled([...this.#inFlight]);
  }

  #flush() {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    // The same bytes twice in one batch: store once; the later copies are duplicates.
    const unique = [...new Map(batch.map(({ item }) => [item.id, item])).values()];
    const rows = withTimeout(this.#stores.insertRows(unique), this.#timeoutMs, 'PostgreSQL');
    const jobs = withTimeout(this.#stores.enqueue(unique), this.#timeoutMs, 'Redis');
    // Promise.any: the first store that fulfils decides; it rejects only when both did, errors in [rows, jobs] order.
    const firstVerdict = Promise.any([rows, jobs]);
    const firstSeen = new Set<string>();
    for (const { item, resolve } of batch) {
      const first = !firstSeen.has(item.id);
      firstSeen.add(item.id);
      firstVerdict.then(
        (fresh) => resolve({ stored: true, duplicate: !(first && fresh.has(item.id)) }),
        (both: AggregateError) => {
          const [pgError, redisError] = both.errors as [Error, Error];
          resolve({ stored: false, reason: `PostgreSQL: ${pgError.message}; Redis: ${redisError.message}` });
        },
      );
    }
    rows.catch((error: Error) => this.#onStoreError('postgres', error, unique.length));
    jobs.catch((error: Error) => this.#onStoreError('redis', error, unique.length));
    const settled = Promise.allSettled([rows, jobs]);
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, store: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${store} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
