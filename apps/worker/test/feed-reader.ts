import type { TestEnv } from '@calsync/test-support';

// Test support (not a test file): reads what migration 0005's triggers appended, to check every writer against it.

export interface FeedRow {
  id: string;
  type: string;
  booking_uid: string | null;
  cal_event_type_id: string | null;
  subject: Record<string, unknown>;
  changed: Record<string, { from: unknown; to: unknown }>;
}

/** The newest Change id now: a test's mark, so it looks only at the Changes written after it. */
export async function feedMark(env: TestEnv): Promise<string> {
  const [row] = await env.sql<{ id: string }[]>`select coalesce(max(id), 0)::text as id from cal_changes`;
  return row!.id;
}

/** The Changes after `mark`, in id order. */
export async function changesSince(env: TestEnv, mark: string): Promise<FeedRow[]> {
  return await env.sql<FeedRow[]>`select cal_changes.id::text as id, type, booking_uid, cal_event_type_id, subject,
      changed
    from cal_changes where cal_changes.id > ${mark}::bigint order by cal_changes.id`;
}

/** Each booking's Change types after `mark`, keyed by uid. */
export async function typesByBooking(env: TestEnv, mark: string): Promise<Record<string, string[]>> {
  const byUid: Record<string, string[]> = {};
  for (const change of await changesSince(env, mark)) {
    if (!change.booking_uid) continue;
    byUid[change.booking_uid] = [...(byUid[change.booking_uid] ?? []), change.type];
  }
  return byUid;
}

/** The booking rows as a Change shows them (the triggers' own snapshot function), keyed by uid. */
export async function currentSubjects(env: TestEnv, uids: string[]): Promise<Record<string, Record<string, unknown>>> {
  const rows = await env.sql<{ uid: string; subject: Record<string, unknown> }[]>`
    select b.cal_uid as uid, calsync_booking_subject(b) as subject from cal_bookings b where b.cal_uid = any(${uids})`;
  return Object.fromEntries(rows.map((r) => [r.uid, r.subject]));
}
