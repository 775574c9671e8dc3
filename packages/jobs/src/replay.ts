import { calWebhookEvents, type Database } from '@calsync/db';
import { eq } from 'drizzle-orm';
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
  const [row] = await deps.db
    .update(calWebhookEvents)
    .set({ status: 'received', attempts: 0, error: null, processedAt: null, updatedAt: new Date() })
    .where(eq(calWebhookEvents.id, id))
    .returning({ rawBody: calWebhookEvents.rawBody, receivedAt: calWebhookEvents.receivedAt });
  if (!row) return { status: 'not-found', id };
  const previous = await deps.queue.getJob(id);
  const previousJobState = previous ? await previous.getState() : 'none';
  if (previous && (previousJobState === 'failed' || previousJobState === 'completed')) await previous.remove();
  await deps.queue.addBulk([
    deliveryJob({ deliveryId: id, rawBody: row.rawBody, receivedAt: row.receivedAt.toISOString() }),
  ]);
  return { status: 'requeued', id, previousJobState };
}

/** Replays every `failed` delivery (oldest first, at most `limit`); returns what it did for each. */
export async function replayFailed(deps: ReplayDeps, limit = 10_000): Promise<ReplayResult[]> {
  const failed = await deps.db
    .select({ id: calWebhookEvents.id })
    .from(calWebhookEvents)
    .where(eq(calWebhookEvents.status, 'failed'))
    .orderBy(calWebhookEvents.receivedAt)
    .limit(limit);
  const results: ReplayResult[] = [];
  for (const { id } of failed) results.push(await replayDelivery(deps, id));
  return results;
}
