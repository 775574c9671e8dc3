import { type Database, failedDeliveryIds, idsWithoutDeliveryRow, resetDeliveryForReplay } from '@calsync/db';
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

/**
 * Replays every `failed` delivery (oldest first, at most `limit`), then every failed job that has no row; returns what
 * it did for each.
 */
export async function replayFailed(deps: ReplayDeps, limit = 10_000): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for (const id of await failedDeliveryIds(deps.db, limit)) results.push(await replayDelivery(deps, id));
  // Failed jobs whose delivery has no row in PostgreSQL.
  const failedJobIds = await deps.queue.getRanges(['failed'], 0, -1, true);
  const unstored = await idsWithoutDeliveryRow(deps.db, failedJobIds);
  for (const id of unstored.slice(0, Math.max(limit - results.length, 0))) {
    results.push(await replayUnstoredJob(deps, id));
  }
  return results;
}
