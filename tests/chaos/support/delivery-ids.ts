import { createHash } from 'node:crypto';
import type { Delivery } from '@calsync/cal-sim';

/** A delivery's id as ingest computes it: the SHA-256 of its raw body. */
export function deliveryId(delivery: Pick<Delivery, 'rawBody'>): string {
  return createHash('sha256').update(delivery.rawBody).digest('hex');
}
