import {
  calChanges,
  columnName,
  type Database,
  outboundDeliveries,
  outboundEndpoints,
  queryRow,
  queryRows,
} from '@calsync/db';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

const BATCH = 1_000;

const o = outboundEndpoints;
const d = outboundDeliveries;
const c = alias(calChanges, 'c');

/**
 * Hands the Changes after each endpoint's cursor to it as delivery rows, moving the cursor in the same statement:
 * a Change becomes a delivery exactly once per endpoint. The endpoint row is locked (SKIP LOCKED), so two workers
 * never fan out for the same endpoint at once. Paused endpoints still get their rows (sent once resumed). Returns how
 * many endpoints there are and how many deliveries it wrote.
 */
export async function fanOut(db: Database, now: Date): Promise<{ endpoints: number; written: number }> {
  const endpoints = await queryRows<{ id: string }>(db, sql`select ${o.id} from ${o}`);
  let written = 0;
  for (const { id } of endpoints) {
    for (;;) {
      const result = await queryRow<{ read: number; written: number }>(
        db,
        sql`
        with endpoint as (
          select ${o.id} as id, ${o.cursor} as cursor, ${o.types} as types from ${o}
          where ${o.id} = ${id} for update skip locked
        ),
        batch as (
          select ${c.id} as id, ${c.type} as type, ${c.bookingUid} as booking_uid,
            ${c.calEventTypeId} as cal_event_type_id
          from ${calChanges} ${c}, endpoint e where ${c.id} > e.cursor order by ${c.id} limit ${BATCH}
        ),
        inserted as (
          insert into ${d} (${columnName(d.endpointId)}, ${columnName(d.changeId)}, ${columnName(d.orderKey)},
            ${columnName(d.nextAttemptAt)})
          select e.id, b.id,
            case when b.booking_uid is not null then 'booking:' || b.booking_uid
                 else 'event_type:' || coalesce(b.cal_event_type_id, '') end,
            ${now.toISOString()}::timestamptz
          from batch b, endpoint e
          where cardinality(e.types) = 0 or b.type = any(e.types)
          order by b.id
          on conflict do nothing
          returning 1
        ),
        moved as (
          update ${o} set ${columnName(o.cursor)} = (select max(id) from batch)
          where ${o.id} = (select id from endpoint) and exists (select 1 from batch)
          returning 1
        )
        select (select count(*) from batch)::int as read, (select count(*) from inserted)::int as written`,
      );
      written += result?.written ?? 0;
      if ((result?.read ?? 0) < BATCH) break;
    }
  }
  return { endpoints: endpoints.length, written };
}
