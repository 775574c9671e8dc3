import { calEventTypes, type Database, queryRows } from '@calsync/db';
import type { SyncQueue } from '@calsync/jobs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ActionContext } from '../actions/action-context.ts';
import { answerEventTypeUpdate } from '../actions/action-routes.ts';
import { eventTypeColumns } from '../event-type-columns.ts';
import { registerFunction } from './function-route.ts';
import { oneOf } from './params.ts';
import type { PublicRateLimit } from './public-rate-limit.ts';
import { answerSyncRequest } from './sync-action.ts';

export const eventTypesParams = z.object({
  action: oneOf(['sync', 'update'] as const).optional(),
});

async function listEventTypes(db: Database, view: 'public' | 'admin') {
  const e = calEventTypes;
  const rows = await queryRows<{ event_type: Record<string, unknown> }>(
    db,
    sql`select to_jsonb(x) as event_type from (
      select ${eventTypeColumns(view)} from ${e}
      ${view === 'admin' ? sql`` : sql`where ${e.active}`}
      order by ${e.title} nulls last, ${e.id}
    ) x`,
  );
  return rows.map((r) => r.event_type);
}

/**
 * `cal-event-types`: the public sees active event types; an admin sees all. Credentials that are not admin (such
 * as the Supabase anon key a migrated frontend still sends) get the public view, not an error.
 * `action=sync` (admin) queues an event types sync; POST `action=update` (admin) changes one in Cal.com.
 */
export function registerCalEventTypes(
  app: FastifyInstance,
  syncQueue: () => SyncQueue,
  rateLimit: PublicRateLimit,
  actions: ActionContext,
) {
  registerFunction(app, {
    name: 'cal-event-types',
    params: eventTypesParams,
    summary:
      'Event types: active ones for the public, all for an admin; action=sync (admin) queues a sync; POST action=update with id (title, description, length, hidden) changes it in Cal.com (admin)',
    tags: ['event types'],
    rateLimit,
    handler: async (params, request, reply) => {
      if (params.action === 'sync') return answerSyncRequest(app, syncQueue, 'event_types_sync', request, reply);
      if (params.action === 'update') return answerEventTypeUpdate(app, actions, request, reply);
      const view = (await app.adminAccess.verdict(request)) === 'admin' ? 'admin' : 'public';
      return { event_types: await listEventTypes(app.resources.db, view) };
    },
  });
}
