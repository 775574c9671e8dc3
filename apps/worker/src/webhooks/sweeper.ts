import { calWebhookEvents, type Database, queryRows } from '@calsync/db';
import {
  type ApplyDeliveryData,
  applyDeliveryJob,
  deliveryJob,
  sweeperCursorKey,
  type WebhookQueue,
} from '@calsync/jobs';
import { sql } from 'drizzle-orm';
import { rotatingCursor } from './sweep-cursor.ts';

/** How old a `received` row must be before the sweeper assumes Redis never took (or lost) its job. */
export const SWEEP_MIN_AGE_MS = 5_000;
export const SWEEP_BATCH = 500;

export interface SweepOptions {
  minAgeMs?: number;
  /** Rows looked at per run. */
  batch?: number;
  /** `resources.redisPrefix`: where the sweeper keeps its place between runs. */
  redisPrefix: string;
}

export interface SweepResult {
  /** `received` rows given a fresh job (none existed, or the old one had failed or finished). */
  offered: number;
  /** Failed jobs with no row in PostgreSQL (stalled before storing it) added again. */
  rescued: number;
}

/**
 * Re-offers deliveries that have not reached the end: `received` rows older than a few seconds whose job is gone,
 * failed (stalled too often) or finished, and failed jobs whose row PostgreSQL never got. Each run takes the next
 * `batch` rows after where the last run stopped (wrapping around), so no set of rows that stay stuck can starve
 * newer ones.
 */
export async function sweepDeliveries(db: Database, queue: WebhookQueue, options: SweepOptions): Promise<SweepResult> {
  const offered = await sweepReceived(db, queue, options);
  const rescued = await rescueUnstoredFailedJobs(db, queue, options);
  return { offered, rescued };
}

type ReceivedRow = { id: string; raw_body: string; received_at: string; received_ms: number };

export async function sweepReceived(db: Database, queue: WebhookQueue, options: SweepOptions): Promise<number> {
  const batch = options.batch ?? SWEEP_BATCH;
  const minAgeS = (options.minAgeMs ?? SWEEP_MIN_AGE_MS) / 1_000;
  const cursor = rotatingCursor(queue, sweeperCursorKey(options.redisPrefix, 'received'));
  const after = await cursor.read();
  const e = calWebhookEvents;
  // `received_at` in the order is the output column above (the text), as it always was.
  const select = (from: string | null, limit: number) =>
    queryRows<ReceivedRow>(
      db,
      sql`select ${e.id}, ${e.rawBody}, ${e.receivedAt}::text as received_at,
      (extract(epoch from ${e.receivedAt}) * 1000)::float8 as received_ms
      from ${e}
      where ${e.status} = 'received' and ${e.receivedAt} < now() - make_interval(secs => ${minAgeS})
        and (${from}::text is null or (${e.receivedAt}, ${e.id}) > (split_part(${from}, '|', 1)::timestamptz,
          split_part(${from}, '|', 2)))
      order by received_at, ${e.id} limit ${limit}`,
    );
  let rows = await select(after, batch);
  // Past the newest stuck row: start again from the oldest, so every row gets its turn.
  if (after !== null && rows.length < batch) {
    const seen = new Set(rows.map((row) => row.id));
    const fromStart = (await select(null, batch - rows.length)).filter((row) => !seen.has(row.id));
    rows = [...rows, ...fromStart];
  }
  const last = rows.at(-1);
  await cursor.write(last ? `${last.received_at}|${last.id}` : null);
  if (rows.length === 0) return 0;

  const states = await Promise.all(rows.map((row) => queue.getJobState(row.id)));
  const toOffer: ReceivedRow[] = [];
  for (const [i, row] of rows.entries()) {
    const state = states[i];
    // A job still waiting, delayed or running will do its work; a finished one would make BullMQ ignore the add.
    if (state === 'failed' || state === 'completed') await queue.remove(row.id);
    else if (state !== 'unknown') continue;
    toOffer.push(row);
  }
  if (toOffer.length > 0) {
    await queue.addBulk(
      toOffer.map((row) =>
        deliveryJob({
          deliveryId: row.id,
          rawBody: row.raw_body,
          receivedAt: new Date(Number(row.received_ms)).toISOString(),
        }),
      ),
    );
  }
  return toOffer.length;
}

/**
 * Failed jobs whose delivery has no row: a job fails only once PostgreSQL holds its failure, except when it stalled
 * past the limit (or came from an older calsync). Such a job is the delivery's only copy, so it is added again.
 */
export async function rescueUnstoredFailedJobs(
  db: Database,
  queue: WebhookQueue,
  options: Pick<SweepOptions, 'batch' | 'redisPrefix'>,
): Promise<number> {
  const batch = options.batch ?? SWEEP_BATCH;
  const cursor = rotatingCursor(queue, sweeperCursorKey(options.redisPrefix, 'failed'));
  let start = Number((await cursor.read()) ?? 0);
  let ids = await queue.getRanges(['failed'], start, start + batch - 1, true);
  if (ids.length === 0 && start > 0) {
    start = 0;
    ids = await queue.getRanges(['failed'], 0, batch - 1, true);
  }
  await cursor.write(ids.length < batch ? null : String(start + ids.length));
  if (ids.length === 0) return 0;
  const unstored = await queryRows<{ id: string }>(
    db,
    sql`select x.id from unnest(${sql.param(ids)}::text[]) as x(id)
      where not exists (select 1 from ${calWebhookEvents} where ${calWebhookEvents.id} = x.id)`,
  );
  let rescued = 0;
  for (const { id } of unstored) {
    const job = await queue.getJob(id);
    const data = job && readableJobData(job.data);
    // Data that does not parse can never apply: it stays failed, counted on the health strip.
    if (!data) continue;
    await queue.remove(id);
    await queue.addBulk([deliveryJob(data)]);
    rescued++;
  }
  return rescued;
}

function readableJobData(data: unknown): ApplyDeliveryData | null {
  const parsed = applyDeliveryJob.schema.safeParse(data);
  return parsed.success ? parsed.data : null;
}
