import type { CalApiEventType } from '@calsync/cal-client';
import { calEventTypes, queryRow, transaction } from '@calsync/db';
import { invalidateAvailability } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import { eventTypeToColumns } from '@calsync/worker';
import { eq, sql } from 'drizzle-orm';
import { eventTypeColumns } from '../event-type-columns.ts';
import { type ActionContext, errorAnswer, requireCal } from './action-context.ts';
import { recordAdminAction } from './audit.ts';
import { calFailure } from './cal-refusal.ts';
import type { StoredAnswer } from './idempotency.ts';

/** What calsync lets an admin change on an event type: what Cal.com's update input accepts (no price). */
export interface EventTypeUpdateInput {
  /** The Cal.com event type id. */
  id: string;
  title?: string;
  description?: string;
  /** Minutes. */
  length?: number;
  hidden?: boolean;
}

/**
 * Updates one of the key owner's event types in Cal.com (`PATCH /v2/event-types/{id}`) and mirrors Cal.com's answer
 * through the worker's mapping, with its audit row, in one transaction. Team event types live under the teams' routes
 * in Cal.com, and deleted ones no longer exist there: both are refused with 409 before any call.
 */
export async function performEventTypeUpdate(
  context: ActionContext,
  input: EventTypeUpdateInput,
  who: { actor: string; idempotencyKey: string },
): Promise<StoredAnswer> {
  const [row] = await context.db.select().from(calEventTypes).where(eq(calEventTypes.calEventTypeId, input.id));
  if (!row) throw new HttpError('not_found', `no event type with id ${input.id} in the mirror`);
  if (row.deletedAt) return errorAnswer(new HttpError('conflict', `event type ${input.id} was deleted in Cal.com`));
  if (row.teamId) {
    return errorAnswer(
      new HttpError(
        'conflict',
        `event type ${input.id} belongs to team ${row.teamId}: change it in Cal.com's team settings`,
      ),
    );
  }
  const { id, ...asked } = input;
  const audit = {
    action: 'update-event-type' as const,
    target: id,
    actor: who.actor,
    request: asked,
    idempotencyKey: who.idempotencyKey,
  };
  let answer: CalApiEventType;
  try {
    answer = await requireCal(context).updateEventType(Number(id), {
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.length === undefined ? {} : { lengthInMinutes: input.length }),
      ...(input.hidden === undefined ? {} : { hidden: input.hidden }),
    });
  } catch (error) {
    const failure = calFailure(error, `update event type ${id}`);
    if (!failure.audit) throw failure.error;
    await recordAdminAction(context.db, { ...audit, ...failure.audit });
    return errorAnswer(failure.error);
  }
  await transaction(context.db, async (tx) => {
    await tx
      .update(calEventTypes)
      .set({ ...eventTypeToColumns(answer), lastSyncedAt: context.now() })
      .where(eq(calEventTypes.id, row.id));
    await recordAdminAction(tx, { ...audit, outcome: 'accepted', calStatus: 200, calAnswer: answer });
  });
  // A new length or visibility changes which slots are offered.
  await invalidateAvailability(context.redis, context.redisPrefix, [id]);
  const updated = await queryRow<{ event_type: Record<string, unknown> }>(
    context.db,
    sql`select to_jsonb(e) as event_type
    from (select ${eventTypeColumns('admin')} from ${calEventTypes} where ${calEventTypes.id} = ${row.id}) e`,
  );
  return { statusCode: 200, body: { event_type: updated?.event_type } };
}
