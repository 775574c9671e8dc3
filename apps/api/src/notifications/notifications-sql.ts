import { columnName, type Database, notifications, queryRow, queryRows } from '@calsync/db';
import { HttpError } from '@calsync/service-kit';
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';

/**
 * A notification as the admin API shows it (README, "E-mail: reminders and owner alerts"): `sending` is still
 * `scheduled` to the outside.
 */
export interface NotificationView {
  id: string;
  booking_uid: string | null;
  kind: string;
  to: string;
  due_at: string;
  status: 'scheduled' | 'sent' | 'failed' | 'cancelled';
  sent_at: string | null;
  error: string | null;
  attempts: number;
}

export const listableStatuses = ['scheduled', 'sent', 'failed', 'cancelled'] as const;
export type ListableStatus = (typeof listableStatuses)[number];

export interface NotificationFilter {
  booking?: string;
  status?: ListableStatus;
  limit: number;
}

/** Reads `booking`, `status` and `limit` from a query string; a bad value is a 400 naming the parameter. */
export function parseNotificationFilter(query: Record<string, unknown>): NotificationFilter {
  const booking = query.booking;
  if (booking !== undefined && (typeof booking !== 'string' || booking.length === 0 || booking.length > 200)) {
    throw new HttpError('invalid_request', 'booking: expected a booking uid');
  }
  const status = query.status;
  if (status !== undefined && status !== '' && !listableStatuses.includes(status as ListableStatus)) {
    throw new HttpError('invalid_request', `status: expected one of ${listableStatuses.join(', ')}`);
  }
  const limitText = query.limit ?? '200';
  const limit = Number(limitText);
  if (typeof limitText !== 'string' || !/^\d+$/.test(limitText) || limit < 1 || limit > 1_000) {
    throw new HttpError('invalid_request', 'limit: expected a whole number from 1 to 1000');
  }
  return {
    booking: booking as string | undefined,
    status: status === '' ? undefined : (status as ListableStatus | undefined),
    limit,
  };
}

const iso = (column: AnyPgColumn) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const t = notifications;

/** Newest due first: what is coming and what just went out come before old history. */
export async function listNotifications(db: Database, filter: NotificationFilter): Promise<NotificationView[]> {
  const booking = filter.booking ? sql`and ${t.bookingUid} = ${filter.booking}` : sql``;
  const status =
    filter.status === 'scheduled'
      ? sql`and ${t.status} in ('scheduled', 'sending')`
      : filter.status
        ? sql`and ${t.status} = ${filter.status}`
        : sql``;
  // `due_at` in the order is the output column above (the ISO text), as it always was.
  return await queryRows<NotificationView>(
    db,
    sql`
    select ${t.id}, ${t.bookingUid}, ${t.kind}, ${t.recipient} as "to", ${iso(t.dueAt)} as due_at,
           case when ${t.status} = 'sending' then 'scheduled' else ${t.status} end as status,
           ${iso(t.sentAt)} as sent_at, ${t.error}, ${t.attempts}
    from ${t}
    where true ${booking} ${status}
    order by due_at desc, ${t.id}
    limit ${filter.limit}`,
  );
}

/** Counts by status, for the page's summary. */
export async function countNotifications(db: Database): Promise<Record<ListableStatus, number>> {
  const rows = await queryRows<{ status: ListableStatus; n: number }>(
    db,
    sql`
    select case when ${t.status} = 'sending' then 'scheduled' else ${t.status} end as status, count(*)::int as n
    from ${t} group by 1`,
  );
  const counts = { scheduled: 0, sent: 0, failed: 0, cancelled: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/**
 * Puts a failed message back in the queue, due now, with fresh attempts: the worker's next tick sends it. Only a
 * failed one: retrying one that is scheduled or sent would send it twice.
 */
export async function retryNotification(db: Database, id: string): Promise<NotificationView> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new HttpError('not_found', 'no notification with this id');
  const n = alias(notifications, 'n');
  const before = alias(notifications, 'before');
  const [row] = await queryRows<{ id: string; status: string }>(
    db,
    sql`
    update ${t} ${n}
    set ${columnName(n.status)} = case when ${n.status} = 'failed' then 'scheduled' else ${n.status} end,
        ${columnName(n.attempts)} = case when ${n.status} = 'failed' then 0 else ${n.attempts} end,
        ${columnName(n.nextAttemptAt)} = case when ${n.status} = 'failed' then now() else ${n.nextAttemptAt} end,
        ${columnName(n.updatedAt)} = now()
    from ${t} ${before}
    where ${n.id} = ${id} and ${before.id} = ${n.id}
    returning ${n.id}, ${before.status}`,
  );
  if (!row) throw new HttpError('not_found', 'no notification with this id');
  if (row.status !== 'failed') {
    throw new HttpError('conflict', `only a failed notification can be retried; this one is ${row.status}`);
  }
  const view = await queryRow<NotificationView>(
    db,
    sql`
    select ${t.id}, ${t.bookingUid}, ${t.kind}, ${t.recipient} as "to", ${iso(t.dueAt)} as due_at,
           'scheduled' as status, null as sent_at, ${t.error}, ${t.attempts}
    from ${t} where ${t.id} = ${id}`,
  );
  return view!;
}
