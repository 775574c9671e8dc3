import { calWebhookEvents, type Database, resetDeliveryForReplay } from '@calsync/db';
import { eq, sql } from 'drizzle-orm';
import { applyDeliveryJob } from './catalog.ts';
import { deliveryJob, type WebhookQueue } from './queues.ts';

export interface ReplayDeps {
  db: Database;
  queue: WebhookQueue;
}

export type ReplayResult =
  | { status: 'requeued'; id: string; previousJobState: string }
  | { status: 'not-found'; id: string };

/**
 * Re-applies one stored delivery: resets its row to `received` (attempts 0, no error) and enqueues it again.
 * A finished BullMQ job with the same id (failed or completed) is removed first, else BullMQ would ignore the add;
 * a job still waiting, delayed or running is left to do its work.
 */
export async function replayDelivery(deps: ReplayDeps, id: string): Promise<ReplayResult> {
  const row = await resetDeliveryForReplay(deps.db, id);
  if (!row) return await replayUnstoredJob(deps, id);
  const previous = await deps.queue.getJob(id);
  const previousJobState = previous ? await previous.getState() : 'none';
  if (previous && (previousJobState === 'failed' || previousJobState === 'completed')) await previous.remove();
  await deps.queue.addBulk([
    deliveryJob({ deliveryId: id, rawBody: row.rawBody, receivedAt: row.receivedAt.toISOString() }),
  ]);
  return { status: 'requeued', id, previousJobState };
}

/**
 * A delivery that Redis alone acknowledged and whose job failed before PostgreSQL got its row (it stalled past the
 * limit): the failed job is its only copy, so it is added again with its own data.
 */
async function replayUnstoredJob(deps: ReplayDeps, id: string): Promise<ReplayResult> {
  const job = await deps.queue.getJob(id);
  const data = applyDeliveryJob.schema.safeParse(job?.data);
  if (!job || !data.success || (await job.getState()) !== 'failed') return { status: 'not-found', id };
  await job.remove();
  await deps.queue.addBulk([deliveryJob(data.data)]);
  return { status: 'requeued', id, previousJobState: 'failed' };
}

/** Failed jobs whose delivery has no row in PostgreSQL. */
async function unstoredFailedJobIds(deps: ReplayDeps): Promise<string[]> {
  const ids = await deps.queue.getRanges(['failed'], 0, -1, true);
  if (ids.length === 0) return [];
  const rows = (await deps.db.execute(sql`select x.id from unnest(${`{${ids.join(',')}}`}::text[]) as x(id)
    where not exists (select 1 from cal_webhook_events e where e.id = x.id)`)) as unknown as Array<{ id: string }>;
  return rows.map((row) => row.id);
}

/**
 * Replays every `failed` delivery (oldest first, at most `limit`), then every failed job that has no row; returns what
 * it did for each.
 */
export async function replayFailed(deps: ReplayDeps, limit = 10_000): Promise<ReplayResult[]> {
  const failed = await deps.db
    .select({ id: calWebhookEvents.id })
    .from(calWebhookEvents)
    .where(eq(calWebhookEvents.status, 'failed'))
    .orderBy(calWebhookEvents.receivedAt)
    .limit(limit);
  const results: ReplayResult[] = [];
  for (const { id } of failed) results.push(await replayDelivery(deps, id));
  const unstored = await unstoredFailedJobIds(deps);
  for (const id of unstored.slice(0, Math.max(limit - results.length, 0))) {
    results.push(await replayUnstoredJob(deps, id));
  }
  return results;
}
