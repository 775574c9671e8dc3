import { isDeepStrictEqual } from 'node:util';
import type { CalApiEventType } from '@calsync/cal-client';
import { type CalSyncRun, calEventTypes, type NewCalEventType, transaction } from '@calsync/db';
import { invalidateAvailability } from '@calsync/jobs';
import { and, eq, isNull, notInArray } from 'drizzle-orm';
import type { CalSyncClient, SyncContext } from './sync-context.ts';
import { recordProgress } from './sync-runs.ts';

// The columns an upstream event type decides; a row is "changed" when any of them differs.
type SyncedColumns = Pick<
  NewCalEventType,
  | 'slug'
  | 'title'
  | 'description'
  | 'length'
  | 'price'
  | 'currency'
  | 'hidden'
  | 'active'
  | 'metadata'
  | 'deletedAt'
  | 'teamId'
  | 'schedulingType'
>;
/** The columns a Cal.com event type decides in `cal_event_types` (the sync and the api's write-back share it). */
export function toColumns(eventType: CalApiEventType): SyncedColumns {
  const hidden = eventType.hidden ?? false;
  return {
    slug: eventType.slug,
    title: eventType.title,
    description: eventType.description ?? null,
    length: Math.round(eventType.lengthInMinutes),
    price: eventType.price === null || eventType.price === undefined ? null : Math.round(eventType.price),
    currency: eventType.currency ?? null,
    hidden,
    // A hidden event type cannot be booked publicly: it is not offered as active.
    active: !hidden,
    // As jsonb will hold it (no undefined members), so an unchanged event type compares equal.
    metadata: JSON.parse(JSON.stringify(eventType)) as Record<string, unknown>,
    deletedAt: null,
    teamId: eventType.teamId === null || eventType.teamId === undefined ? null : String(eventType.teamId),
    schedulingType: eventType.schedulingType ?? null,
  };
}

/**
 * The key owner's event types and those of every team they belong to (round-robin and collective types are only
 * under the teams' routes): 2 + one request per team. An event type listed twice (a managed type's parent and child)
 * counts once, the owner's own first.
 */
async function listAllEventTypes(client: CalSyncClient, ctx: SyncContext): Promise<CalApiEventType[]> {
  const call = { priority: 'background' as const, signal: ctx.signal };
  const own = await client.listEventTypes(call);
  const teams = await client.listTeams(call);
  const byId = new Map(own.map((eventType) => [eventType.id, eventType]));
  for (const team of teams) {
    for (const eventType of await client.listTeamEventTypes(team.id, call)) {
      if (!byId.has(eventType.id)) byId.set(eventType.id, { ...eventType, teamId: eventType.teamId ?? team.id });
    }
  }
  return [...byId.values()];
}

/**
 * Full event-type sync (the API has no updated-since filter): new and changed ones are written with
 * `last_synced_at`; ones gone from the answer become inactive with `deleted_at`. One transaction.
 */
export async function runEventTypesSync(ctx: SyncContext, client: CalSyncClient, run: CalSyncRun) {
  const eventTypes = await listAllEventTypes(client, ctx);
  const now = new Date();
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const touched: string[] = [];
  await transaction(ctx.db, async (tx) => {
    const existing = new Map((await tx.select().from(calEventTypes)).map((row) => [row.calEventTypeId, row]));
    for (const eventType of eventTypes) {
      const id = String(eventType.id);
      const columns = toColumns(eventType);
      const row = existing.get(id);
      if (!row) {
        await tx.insert(calEventTypes).values({ calEventTypeId: id, ...columns, lastSyncedAt: now });
        counts.created += 1;
        touched.push(id);
      } else if (differs(row, columns)) {
        await tx
          .update(calEventTypes)
          .set({ ...columns, lastSyncedAt: now })
          .where(eq(calEventTypes.id, row.id));
        counts.updated += 1;
        touched.push(id);
      } else {
        counts.unchanged += 1;
      }
    }
    const upstreamIds = eventTypes.map((eventType) => String(eventType.id));
    const gone = await tx
      .update(calEventTypes)
      .set({ active: false, deletedAt: now })
      .where(
        and(
          isNull(calEventTypes.deletedAt),
          upstreamIds.length > 0 ? notInArray(calEventTypes.calEventTypeId, upstreamIds) : undefined,
        ),
      )
      .returning({ calEventTypeId: calEventTypes.calEventTypeId });
    counts.updated += gone.length;
    touched.push(...gone.map((row) => row.calEventTypeId));
    await recordProgress(tx, run.id, { requests: ctx.takeRequestCount(), pages: 1, ...counts });
  });
  await invalidateAvailability(ctx.redis, ctx.redisPrefix, touched);
  return { pages: 1, skipped: 0, ...counts };
}

function differs(row: typeof calEventTypes.$inferSelect, columns: SyncedColumns): boolean {
  return (Object.keys(columns) as Array<keyof SyncedColumns>).some((key) => {
    const next = columns[key] ?? null;
    const current = row[key] ?? null;
    return !isDeepStrictEqual(current, next);
  });
}
