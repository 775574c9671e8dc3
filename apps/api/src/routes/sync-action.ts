import type { SyncKind } from '@calsync/db';
import { requestSync, type SyncQueue } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Opens the sync queue on first use (most processes never need it) and closes it with the app. */
export function lazySyncQueue(app: FastifyInstance, open: () => SyncQueue): () => SyncQueue {
  let queue: SyncQueue | undefined;
  app.addHook('onClose', async () => {
    await queue?.close();
  });
  return () => {
    queue ??= open();
    return queue;
  };
}

/**
 * `action=sync` (admin): queues a run of `kind` (or finds the active one) and answers 202 `{ sync: { id, status } }`.
 * A state change: the bearer token may ask by GET as the edge functions' API did; a cookie session must POST its CSRF token.
 */
export async function answerSyncRequest(
  app: FastifyInstance,
  queue: () => SyncQueue,
  kind: SyncKind,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  await app.requireAdminChange(request, reply);
  try {
    const run = await requestSync({ db: app.resources.db, queue: queue() }, kind, 'manual');
    return reply
      .status(202)
      .send({ sync: { id: run.id, status: run.status, kind: run.kind, queued_at: run.queuedAt } });
  } catch (error) {
    throw new HttpError('service_unavailable', 'the sync could not be queued; try again shortly', { cause: error });
  }
}
