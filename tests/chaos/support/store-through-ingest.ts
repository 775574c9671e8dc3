import type { Delivery } from '@calsync/cal-sim';
import { startCalsync, TEST_SECRET } from './child-process.ts';
import { postStream, type StreamResult } from './deliveries.ts';

/**
 * Posts `deliveries` through an ingest of its own with no worker running, then stops it: each acknowledged delivery
 * is a row still `received` and a job waiting in the queue.
 */
export async function storeThroughIngest(
  services: { databaseUrl: string; redisUrl: string },
  deliveries: readonly Delivery[],
  concurrency: number,
): Promise<StreamResult> {
  const ingest = await startCalsync('ingest', services);
  const stream = await postStream(`${ingest.url}/cal-webhook`, deliveries, TEST_SECRET, { concurrency });
  await ingest.stop();
  return stream;
}
