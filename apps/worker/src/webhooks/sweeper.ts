import type { Database } from '@calsync/db';
import { deliveryJob, type WebhookQueue } from '@calsync/jobs';
import { sql } from 'drizzle-orm';

/** How old a `received` row must be before the sweeper assumes Redis never took (or lost) its job. */
export const SWEEP_MIN_AGE_MS = 5_000;
const SWEEP_BATCH = 500;

/**
 * Enqueues deliveries stored as `received` but older than a few seconds: those Redis refused at ingest or lost.
 * Job id = delivery id, so a job that still exists is left alone. Returns how many rows it offered.
 */
export async function sweepReceived(db: Database, queue: WebhookQueue, minAgeMs = SWEEP_MIN_AGE_MS): Promise<number> {
  const rows =
    (await db.execute(sql`select id, raw_body, (extract(epoch from received_at) * 1000)::float8 as received_ms from cal_webhook_events
    where status = 'received' and received_at < now() - make_interval(secs => ${minAgeMs / 1_000})
    order by received_at limit ${SWEEP_BATCH}`)) as unknown as Array<{
      id: string;
      raw_body: string;
      received_ms: number;
    }>;
  if (rows.length === 0) return 0;
  await queue.addBulk(
    rows.map((row) =>
      deliveryJob({
        deliveryId: row.id,
        rawBody: row.raw_body,
        receivedAt: new Date(Number(row.received_ms)).toISOString(),
      }),
    ),
  );
  return rows.length;
}
