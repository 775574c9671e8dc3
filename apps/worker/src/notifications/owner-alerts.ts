import { type Database, execute, queryRows, transaction } from '@calsync/db';
import { sql } from 'drizzle-orm';
import type { Problem } from './owner-problems.ts';

/** The same open problem is mailed again at most this often. */
export const ALERT_REPEAT_MS = 60 * 60_000;

// One lock for the whole comparison: two workers looking at the same moment must not both decide to write.
const OWNER_MAIL_LOCK = 727_018;

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
      select distinct on (details->>'problem') id, kind, details->>'problem' as problem,
             exists (select 1 from notifications a
                     where a.kind = 'alert' and a.details->>'problem' = n.details->>'problem'
                       and a.created_at > now() - ${ALERT_REPEAT_MS} * interval '1 millisecond') as alerted_recently
      from notifications n where kind in ('alert', 'resolved')
      order by details->>'problem', created_at desc`,
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
        insert into notifications (dedupe_key, kind, recipient, due_at, next_attempt_at, details)
        values (${`alert:${problem.key}:${Date.now()}`}, 'alert', ${ownerEmail}, now(), now(),
                ${JSON.stringify({ problem: problem.key, summary: problem.summary, detail: problem.detail })}::jsonb)`,
      );
    }
    for (const [key, previous] of last) {
      if (previous.kind !== 'alert' || openKeys.has(key)) continue;
      await execute(
        tx,
        sql`
        insert into notifications (dedupe_key, kind, recipient, due_at, next_attempt_at, details)
        select ${`resolved:${previous.id}`}, 'resolved', ${ownerEmail}, now(), now(),
               jsonb_build_object('problem', ${key}::text, 'summary', details->>'summary', 'alerted_at', created_at)
        from notifications where id = ${previous.id}
        on conflict (dedupe_key) do nothing`,
      );
    }
  });
}
