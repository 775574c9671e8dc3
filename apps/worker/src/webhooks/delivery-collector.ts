import type { Database } from '@calsync/db';
import type { ApplyDeliveryData } from '@calsync/jobs';
import { applyDeliveries } from './apply-deliveries.ts';
import { type ApplyResult, applyDelivery } from './apply-delivery.ts';

const MAX_BATCH = 128;

/**
 * Collects the apply jobs BullMQ hands over in the same event-loop turn and applies them together in one transaction
 * (`applyDeliveries`): the worker's group commit. When that batch fails, each of its jobs is applied alone, so a
 * delivery that cannot apply fails by itself with its own error, and the others still land.
 */
export class DeliveryCollector {
  readonly #db: Database;
  #pending: Array<{ data: ApplyDeliveryData; resolve: (r: ApplyResult) => void; reject: (e: unknown) => void }> = [];
  #scheduled = false;

  constructor(db: Database) {
    this.#db = db;
  }

  apply(data: ApplyDeliveryData): Promise<ApplyResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ data, resolve, reject });
      if (this.#pending.length >= MAX_BATCH) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush() {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    const alone = (entry: (typeof batch)[number]) =>
      applyDelivery(this.#db, entry.data).then(entry.resolve, entry.reject);
    if (batch.length === 1) {
      void alone(batch[0]!);
      return;
    }
    applyDeliveries(
      this.#db,
      batch.map((entry) => entry.data),
    ).then(
      (results) => {
        for (const [i, entry] of batch.entries()) entry.resolve(results[i]!);
      },
      () => {
        for (const entry of batch) void alone(entry);
      },
    );
  }
}
