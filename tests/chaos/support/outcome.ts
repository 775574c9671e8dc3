import type { PgClient as Sql } from '@calsync/db';
import { waitUntil } from '@calsync/test-support';

export interface Outcome {
  events: number;
  processed: number;
  rows: number;
  /** Expected booking uids with no row. */
  lost: number;
  /** Rows beyond one per booking uid. */
  duplicated: number;
  /** Acknowledged delivery ids with no event row. */
  unstored: number;
}

/** Reads what landed: event rows, their states, and booking rows against the expected uids and acknowledged ids. */
export async function readOutcome(sql: Sql, expectedUids: string[], acknowledgedIds: string[]): Promise<Outcome> {
  const [counts] = await sql<Array<{ events: number; processed: number; rows: number; distinct_uids: number }>>`
    select (select count(*)::int from cal_webhook_events) as events,
      (select count(*)::int from cal_webhook_events where status = 'processed') as processed,
      (select count(*)::int from cal_bookings) as rows,
      (select count(distinct cal_uid)::int from cal_bookings) as distinct_uids`;
  const [missing] = await sql<Array<{ n: number }>>`
    select count(*)::int as n from unnest(${sql.array(expectedUids)}::text[]) as u(uid)
    where not exists (select 1 from cal_bookings b where b.cal_uid = u.uid)`;
  const [unstored] = await sql<Array<{ n: number }>>`
    select count(*)::int as n from unnest(${sql.array(acknowledgedIds)}::text[]) as a(id)
    where not exists (select 1 from cal_webhook_events e where e.id = a.id)`;
  return {
    events: counts!.events,
    processed: counts!.processed,
    rows: counts!.rows,
    lost: missing!.n,
    duplicated: counts!.rows - counts!.distinct_uids,
    unstored: unstored!.n,
  };
}

/**
 * Waits until every expected uid has its row and no event is left unapplied; returns the outcome either way, so the
 * suite's expectations and its report show what did not land.
 */
export async function waitForOutcome(
  sql: Sql,
  expectedUids: string[],
  acknowledgedIds: string[],
  timeoutMs: number,
): Promise<Outcome> {
  let outcome = await readOutcome(sql, expectedUids, acknowledgedIds);
  const read = async () => (outcome = await readOutcome(sql, expectedUids, acknowledgedIds).catch(() => outcome));
  const landed = (o: Outcome) => o.lost === 0 && o.unstored === 0 && o.processed === o.events;
  return await waitUntil('every delivery to land', read, landed, { timeoutMs, intervalMs: 100 }).catch(() => outcome);
}

/** The line each suite prints, so the README's reliability table comes from the runs themselves. */
export function report(name: string, figures: Record<string, number | string>) {
  const line = `chaos ${name}: ${Object.entries(figures)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}`;
  console.log(line);
  return line;
}

/** How many deliveries the sweeper re-enqueued from PostgreSQL, read from a worker's JSON log lines. */
export function sweptFromLog(output: string): number {
  let total = 0;
  for (const match of output.matchAll(/"offered":(\d+)[^\n]*sweeper enqueued received deliveries/g)) {
    total += Number(match[1]);
  }
  return total;
}
