import {
  openSyncQueue,
  openWebhookQueue,
  replayDelivery,
  replayFailed,
  requestSync,
  type WebhookQueue,
} from '@calsync/jobs';
import { HttpError, tokensEqual } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tooManyFailures } from '../auth/failure-limit.ts';
import { clientKey } from '../client-key.ts';
import { lazySyncQueue } from '../routes/sync-action.ts';
import { csrfToken } from './csrf-token.ts';
import { registerManageActions } from './manage-actions.ts'; // manage bookings and event types
import { endSession, type SessionStore, safeNext, startSession } from './session.ts';
import { DASHBOARD } from './views/layout.ts';
import { loginPage } from './views/login.ts';

const syncKinds = ['bookings_sync', 'event_types_sync', 'reconcile'] as const;
type Form = Record<string, unknown> | undefined;

/** Redis or PostgreSQL refusing a queue operation is a 503 the operator can retry, not an internal error. */
async function unavailableOnFailure<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new HttpError('service_unavailable', `${what}; try again shortly`, { cause: error });
  }
}

function seeOther(reply: FastifyReply, location: string) {
  return reply.status(303).header('location', location).send();
}

function mustBeLoggedIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.dashboardSession) return false;
  reply
    .status(401)
    .type('text/html; charset=utf-8')
    .send(loginPage({ csrfToken: csrfToken(request, reply), error: 'Your session has ended: log in again.' }));
  return true;
}

/** The state-changing POSTs. Every one checks the CSRF token (403 without a valid one) before anything else. */
export function registerDashboardActions(app: FastifyInstance, store: SessionStore) {
  const protectedPost = { preHandler: app.csrfProtection };
  const syncQueue = lazySyncQueue(app, () =>
    openSyncQueue({ redisUrl: app.resources.redisUrl, prefix: app.resources.redisPrefix }),
  );
  let webhookQueue: WebhookQueue | undefined;
  const webhooks = () =>
    (webhookQueue ??= openWebhookQueue({
      redisUrl: app.resources.redisUrl,
      prefix: app.resources.redisPrefix,
      failFast: true,
    }));
  app.addHook('onClose', async () => {
    await webhookQueue?.close();
  });

  app.post(`${DASHBOARD}/login`, protectedPost, async (request, reply) => {
    const form = request.body as Form;
    const token = typeof form?.token === 'string' ? form.token : '';
    const client = clientKey(request.ip);
    const failures = app.adminAccess.failures;
    const retryAfterS = await failures.blockedFor(client);
    if (retryAfterS > 0) {
      const page = loginPage({
        csrfToken: csrfToken(request, reply),
        error: tooManyFailures(retryAfterS, reply).message,
        next: safeNext(form?.next),
      });
      return reply.status(429).type('text/html; charset=utf-8').send(page);
    }
    if (!tokensEqual(token, store.adminToken)) {
      await failures.record(client);
      request.log.warn('dashboard login with a wrong admin token');
      const page = loginPage({
        csrfToken: csrfToken(request, reply),
        error: 'That is not the admin token.',
        next: safeNext(form?.next),
      });
      return reply.status(401).type('text/html; charset=utf-8').send(page);
    }
    await startSession(store, request, reply);
    return seeOther(reply, safeNext(form?.next));
  });

  app.post(`${DASHBOARD}/logout`, protectedPost, async (request, reply) => {
    await endSession(store, request.dashboardSession, reply);
    return seeOther(reply, DASHBOARD);
  });

  app.post<{ Params: { kind: string } }>(`${DASHBOARD}/sync/:kind`, protectedPost, async (request, reply) => {
    if (mustBeLoggedIn(request, reply)) return reply;
    const kind = syncKinds.find((k) => k === request.params.kind);
    if (!kind)
      return reply.status(404).send({ error: { code: 'not_found', message: `no sync kind ${request.params.kind}` } });
    const run = await unavailableOnFailure('the sync could not be queued', () =>
      requestSync({ db: app.resources.db, queue: syncQueue() }, kind, 'manual'),
    );
    return seeOther(reply, `${DASHBOARD}?run=${run.id}`);
  });

  app.post<{ Params: { id: string } }>(`${DASHBOARD}/deliveries/:id/replay`, protectedPost, async (request, reply) => {
    if (mustBeLoggedIn(request, reply)) return reply;
    const result = await unavailableOnFailure('the replay could not be queued', () =>
      replayDelivery({ db: app.resources.db, queue: webhooks() }, request.params.id),
    );
    if (result.status === 'not-found') {
      return reply.status(404).send({ error: { code: 'not_found', message: 'no delivery with this id' } });
    }
    return seeOther(reply, `${DASHBOARD}/deliveries?replayed=${encodeURIComponent(result.id.slice(0, 12))}`);
  });

  app.post(`${DASHBOARD}/deliveries/replay-failed`, protectedPost, async (request, reply) => {
    if (mustBeLoggedIn(request, reply)) return reply;
    const results = await unavailableOnFailure('the replays could not be queued', () =>
      replayFailed({ db: app.resources.db, queue: webhooks() }),
    );
    return seeOther(reply, `${DASHBOARD}/deliveries?replayed=${results.length}%20deliveries`);
  });

  registerManageActions(app, protectedPost, mustBeLoggedIn);
}
