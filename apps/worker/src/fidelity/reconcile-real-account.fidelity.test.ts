import { calBookingAttendees, calBookings, calSyncRuns } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

// A whole account with every shape real accounts hold (seats, recurring series, instant meetings awaiting a host,
// addresses and phone numbers as locations, "" reasons, absent hosts: packages/cal-sim/src/store/real-shapes.ts),
// rendered as API v2's output service does (apps/api/v2/src/ee/bookings/2024-08-13/services/output.service.ts).
// The expectation is read from the API itself, over plain HTTP, and judged by the rules below, not by calsync's code.

const env = useTestEnv();
const BOOKINGS = 5_000;
let harness: SyncHarness;
beforeAll(async () => {
  harness = await startSyncHarness(env, {
    rateLimit: 1_000,
    windowMs: 1_000,
    sim: { bookings: BOOKINGS, shapes: 'real' },
  });
  await harness.startWorker();
});
afterAll(async () => await harness?.close());

interface ApiBooking {
  uid: string;
  id: number;
  title: string;
  status: string;
  start: string;
  end: string;
  location: string | null;
  cancellationReason?: string;
  absentHost?: boolean;
  rescheduledToUid?: string | null;
  recurringBookingUid?: string;
  attendees: Array<{ email: string; seatUid?: string | null }>;
}

/** Every booking as GET /v2/bookings answers it, page by page until a short page. */
async function apiView(): Promise<ApiBooking[]> {
  const all: ApiBooking[] = [];
  for (let skip = 0; ; skip += 250) {
    const answer = await fetch(`${harness.sim.url}/v2/bookings?take=250&skip=${skip}&sortCreated=asc`, {
      headers: { authorization: `Bearer ${harness.sim.apiKey}`, 'cal-api-version': '2024-08-13' },
    });
    expect(answer.status).toBe(200);
    const page = ((await answer.json()) as { data: ApiBooking[] }).data;
    all.push(...page);
    if (page.length < 250) return all;
  }
}

/**
 * calsync's status for an API booking, as apps/worker/src/sync/api-booking-to-state.ts maps it: `undefined` when it
 * may be either (it ended mid-run).
 */
function expectedStatus(b: ApiBooking, runFrom: number, runTo: number): string | undefined {
  switch (b.status) {
    case 'accepted': {
      const end = Date.parse(b.end);
      if (end > runFrom && end <= runTo) return undefined;
      return end <= runFrom ? 'completed' : 'scheduled';
    }
    case 'pending':
    case 'awaiting_host':
      return 'pending';
    case 'cancelled':
      return b.rescheduledToUid ? 'rescheduled' : 'cancelled';
    default:
      return b.status; // rejected
  }
}

const isHttp = (value: string | null) => value !== null && /^https?:\/\//.test(value);

describe('a full reconciliation of a real-shaped account', () => {
  it(`mirrors all ${BOOKINGS} bookings with the API's status and attendees, skipping nothing`, async () => {
    const runFrom = Date.now();
    const run = await harness.finished((await harness.request('reconcile')).id, 60_000);
    const runTo = Date.now();
    expect(run).toMatchObject({ status: 'succeeded', error: null, itemsSkipped: 0, rowsCreated: BOOKINGS });
    expect(await env.db.select().from(calSyncRuns).where(eq(calSyncRuns.status, 'failed'))).toEqual([]);

    const api = await apiView();
    expect(api).toHaveLength(BOOKINGS);
    // The account really holds the shapes this test is about.
    expect(api.some((b) => b.status === 'awaiting_host')).toBe(true);
    expect(api.some((b) => b.attendees.length > 1 && b.attendees.every((a) => a.seatUid))).toBe(true);
    expect(api.some((b) => b.recurringBookingUid)).toBe(true);
    expect(api.some((b) => b.absentHost)).toBe(true);
    expect(api.some((b) => b.location && !isHttp(b.location) && !b.location.startsWith('integrations:'))).toBe(true);

    const rows = new Map((await env.db.select().from(calBookings)).map((row) => [row.calUid, row]));
    const active = new Map<string, string[]>();
    for (const a of await env.db.select().from(calBookingAttendees)) {
      if (a.leftAt === null) active.set(a.bookingUid, [...(active.get(a.bookingUid) ?? []), `${a.email}|${a.seatUid}`]);
    }
    expect(rows.size).toBe(BOOKINGS);
    const wrong: string[] = [];
    for (const b of api) {
      const row = rows.get(b.uid);
      const status = expectedStatus(b, runFrom, runTo);
      const mirrored = row && {
        id: row.calBookingId,
        status: status === undefined ? undefined : row.status,
        start: row.startTime?.toISOString(),
        end: row.endTime?.toISOString(),
        location: row.location,
        meetingUrl: row.meetingUrl,
        reason: row.cancellationReason,
        hostAbsent: row.noShowHost,
        series: row.recurringBookingUid,
        attendees: (active.get(b.uid) ?? []).sort(),
      };
      const expected = {
        id: String(b.id),
        status,
        start: b.start,
        end: b.end,
        location: b.location,
        meetingUrl: isHttp(b.location) ? b.location : null,
        reason: b.cancellationReason || null,
        hostAbsent: b.absentHost ?? null,
        series: b.recurringBookingUid ?? null,
        attendees: b.attendees.map((a) => `${a.email}|${a.seatUid ?? null}`).sort(),
      };
      if (JSON.stringify(mirrored) !== JSON.stringify(expected)) {
        wrong.push(`${b.uid}: ${JSON.stringify(mirrored)} ≠ ${JSON.stringify(expected)}`);
      }
    }
    expect(wrong.slice(0, 5), `${wrong.length} bookings differ`).toEqual([]);
  }, 90_000);
});
