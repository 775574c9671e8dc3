import { createHash } from 'node:crypto';
import { lifecycle, signDelivery } from '@calsync/cal-sim';
import { BENCH_SECRET } from './children.ts';

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
  /** The delivery id ingest will answer with (SHA-256 of the body). */
  id: string;
}

/**
 * `count` distinct, realistic, signed deliveries (BOOKING_CREATED for a different booking each), built with the
 * simulator's builders before any clock starts.
 */
export function signedDeliveries(count: number, firstSeed = 1): SignedDelivery[] {
  return Array.from({ length: count }, (_, i) => {
    const { rawBody } = lifecycle('book', { seed: firstSeed + i })[0]!;
    return {
      body: rawBody,
      headers: signDelivery(rawBody, BENCH_SECRET),
      id: createHash('sha256').update(rawBody).digest('hex'),
    };
  });
}

/** Hands out the deliveries in turn; wraps around (then ingest answers duplicates) only if the pool runs dry. */
export class DeliveryRotation {
  readonly #pool: readonly SignedDelivery[];
  #next = 0;
  wrapped = false;
  constructor(pool: readonly SignedDelivery[], start = 0) {
    this.#pool = pool;
    this.#next = start;
  }
  next(): SignedDelivery {
    if (this.#next >= this.#pool.length) {
      this.#next = 0;
      this.wrapped = true;
    }
    return this.#pool[this.#next++]!;
  }
  /** The next `count` deliveries. */
  take(count: number): SignedDelivery[] {
    return Array.from({ length: count }, () => this.next());
  }
  get used() {
    return this.#next;
  }
}
