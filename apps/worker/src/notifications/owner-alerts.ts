import { columnName, type Database, execute, notifications, queryRows, transaction } from '@calsync/db';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Problem } from './owner-problems.ts';

/** The same open problem is mailed again at most this often. */
export const ALERT_REPEAT_MS = 60 * 60_000;

// One lock for the whole comparison: two workers looking at the same moment must not both decide to write.
const OWNER_MAIL_LOCK = 727_018;

const t = notifications;
const n = alias(notifications, 'n');
const a = alias(notifications, 'a');
/** The columns an owner e-mail is written with. */
const ownerMailColumns = sql`(${columnName(t.dedupeKey)}, ${columnName(t.kind)}, ${columnName(t.recipient)},
  ${columnName(t.dueAt)}, ${columnName(t.nextAttemptAt)}, ${columnName(t.details)})`;

/**
 * Turns the problems seen now into owner e-mails: an `alert` for a problem not alerted within the last hour, and a
 * `resolved` for a problem whose last e-mail was an alert and which is gone. The rows carry their text in `details`.
 */
export async function writeAlerts(db: Database, ownerEmail: string, problems: Problem[]): Promise<void> {
  await transaction(db, async (tx) => {
    await execute(tx, sql`select pg_advisory_xact_lock(${OWNER_MAIL_LOCK})`);
    const latest = await queryRows<{ id: string; kind: string; problem: string; alerted_recently: boolean }>(
      tx,
      sql`
      select distinct on (${n.details}->>'problem') ${n.id}, ${n.kind}, ${n.details}->>'problem' as problem,
             exists (select 1 from ${t} ${a}
                     where ${a.kind} = 'alert' and ${a.details}->>'problem' = ${n.details}->>'problem'
                       and ${a.createdAt} > now() - ${ALERT_REPEAT_MS} * interval '1 millisecond') as alerted_recently
      from ${t} ${n} where ${n.kind} in ('alert', 'resolved')
      order by ${n.details}->>'problem', ${n.createdAt} desc`,
    );
    const last = new Map(latest.map((row) => [row.problem, row]));
    const openKeys = new Set(problems.map((p) => p.key));
    for (const problem of problems) {
      const previous = last.get(problem.key);
      // A problem that flaps (gone, back) inside the hour is not mailed again: its next alert waits for the hour.
      if (previous?.alerted_recently) continue;
      await execute(
        tx,
        sql`
        insert into ${t} ${ownerMailColumns}
        values (${`alert:${problem.key}:${Date.now()}`}, 'alert', ${ownerEmail}, now(), now(),
                ${JSON.stringify({ problem: problem.key, summary: problem.summary, detail: problem.detail })}::jsonb)`,
      );
    }
    for (const [key, previous] of last) {
      if (previous.kind !== 'alert' || openKeys.has(key)) continue;
      await execute(
        tx,
        sql`
        insert into ${t} ${ownerMailColumns}
        select ${`resolved:${previous.id}`}, 'resolved', ${ownerEmail}, now(), now(),
               jsonb_build_object('problem', ${key}::text, 'summary', ${t.details}->>'summary', 'alerted_at', ${t.createdAt})
        from ${t} where ${t.id} = ${previous.id}
        on conflict (${columnName(t.dedupeKey)}) do nothing`,
      );
    }
  });
}
