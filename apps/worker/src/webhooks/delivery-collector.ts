import type { Database } from '@calsync/db';
import type { ApplyDeliveryData } from '@calsync/jobs';
import { applyDeliveries } from './apply-deliveries.ts';
import { type ApplyResult, applyDelivery } from './apply-delivery.ts';

/** Bounds on what is applied at once: jobs in one batch, body bytes in one batch, body bytes in all running batches. */
export interface CollectorLimits {
  batchJobs: number;
  batchBytes: number;
  inFlightBytes: number;
}

/**
 * A batch of the usual deliveries (a few kB each) is bounded by its job count alone. Bodies of up to ingest's 1 MiB
 * are parsed, mapped and sent to PostgreSQL several times over in one statement per step: without the byte bounds a
 * batch of 128 of them was one statement of over 128 MB, with every body of the batch parsed at once. (The jobs in
 * hand still hold their raw bodies: BullMQ hands over up to 128 whatever their size.)
 */
export const COLLECTOR_LIMITS: CollectorLimits = {
  batchJobs: 128,
  batchBytes: 4 * 1024 * 1024,
  inFlightBytes: 8 * 1024 * 1024,
};

interface Entry {
  data: ApplyDeliveryData;
  bytes: number;
  resolve: (r: ApplyResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Collects the apply jobs BullMQ hands over in the same event-loop turn and applies them together in one transaction
 * (`applyDeliveries`): the worker's group commit. When that batch fails, each of its jobs is applied alone, so a
 * delivery that cannot apply fails by itself with its own error, and the others still land. Jobs beyond the byte
 * bounds wait, in arrival order, until running batches finish.
 */
export class DeliveryCollector {
  readonly #db: Database;
  readonly #limits: CollectorLimits;
  #pending: Entry[] = [];
  #scheduled = false;
  #inFlightBytes = 0;

  constructor(db: Database, limits: CollectorLimits = COLLECTOR_LIMITS) {
    this.#db = db;
    this.#limits = limits;
  }

  apply(data: ApplyDeliveryData): Promise<ApplyResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ data, bytes: data.rawBody.length, resolve, reject });
      if (this.#pending.length >= this.#limits.batchJobs) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Starts batches from the pending jobs while the in-flight bound allows (always one when nothing runs). */
  #flush() {
    this.#scheduled = false;
    while (this.#pending.length > 0) {
      const batch = this.#takeBatch();
      if (!batch) return; // a running batch calls #flush again when it ends
      const bytes = batch.reduce((sum, entry) => sum + entry.bytes, 0);
      this.#inFlightBytes += bytes;
      void this.#run(batch).finally(() => {
        this.#inFlightBytes -= bytes;
        this.#flush();
      });
    }
  }

  /** The next batch in arrival order, or null when it would pass the in-flight bound while another batch runs. */
  #takeBatch(): Entry[] | null {
    const { batchJobs, batchBytes, inFlightBytes } = this.#limits;
    let count = 0;
    let bytes = 0;
    for (const entry of this.#pending) {
      if (count === batchJobs || (count > 0 && bytes + entry.bytes > batchBytes)) break;
      count += 1;
      bytes += entry.bytes;
    }
    if (this.#inFlightBytes > 0 && this.#inFlightBytes + bytes > inFlightBytes) return null;
    return this.#pending.splice(0, count);
  }

  async #run(batch: Entry[]): Promise<void> {
    const alone = (entry: Entry) => applyDelivery(this.#db, entry.data).then(entry.resolve, entry.reject);
    if (batch.length === 1) return await alone(batch[0]!);
    try {
      const results = await applyDeliveries(
        this.#db,
        batch.map((entry) => entry.data),
      );
      for (const [i, entry] of batch.entries()) entry.resolve(results[i]!);
    } catch {
      await Promise.all(batch.map(alone));
    }
  }
}
