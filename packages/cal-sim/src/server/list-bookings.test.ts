import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simGet } from '../../test/sim-client.ts';
import { type CalSim, startCalSim } from '../start-cal-sim.ts';

const now = new Date('2026-06-01T12:00:00Z');
let sim: CalSim;
beforeAll(async () => {
  sim = await startCalSim({ bookings: 1_000, seed: 7, rateLimit: 100_000, now: () => now });
});
afterAll(() => sim.close());

interface Row {
  id: number;
  uid: string;
  status: string;
  start: string;
  end: string;
  updatedAt: string;
  createdAt: string;
  eventTypeId: number;
  attendees: Array<{ email: string }>;
}

async function listAll(query: string, take = 250): Promise<Row[]> {
  const rows: Row[] = [];
  for (let skip = 0; ; skip += take) {
    const { status, body } = await simGet(sim, `/v2/bookings?take=${take}&skip=${skip}&${query}`);
    expect(status).toBe(200);
    rows.push(...body.data);
    expect(body.pagination.returnedItems).toBe(body.data.length);
    if (!body.pagination.hasNextPage) {
      expect(body.pagination.remainingItems).toBe(0);
      expect(rows).toHaveLength(body.pagination.totalItems);
      return rows;
    }
  }
}

const ms = (iso: string) => Date.parse(iso);

describe('GET /v2/bookings filters, sorts and paging', () => {
  it('pages through every booking once, in a stable (updatedAt, id) order, with ties present', async () => {
    const rows = await listAll('sortUpdatedAt=asc', 97);
    expect(rows).toHaveLength(1_000);
    expect(new Set(rows.map((r) => r.uid)).size).toBe(1_000);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(ms(a.updatedAt) < ms(b.updatedAt) || (a.updatedAt === b.updatedAt && a.id < b.id)).toBe(true);
    }
    const ties = rows.filter((r, i) => i > 0 && r.updatedAt === rows[i - 1]!.updatedAt);
    expect(ties.length).toBeGreaterThan(0);
    const desc = await listAll('sortUpdatedAt=desc', 250);
    expect(desc.map((r) => r.uid)).toEqual(rows.map((r) => r.uid).reverse());
  });

  it('sorts by start, end and createdAt in both directions', async () => {
    for (const [param, field] of [
      ['sortStart', 'start'],
      ['sortEnd', 'end'],
      ['sortCreated', 'createdAt'],
    ] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const rows = await listAll(`${param}=${direction}&eventTypeIds=101,102`);
        const keys = rows.map((r) => ms(r[field]));
        const sorted = [...keys].sort((a, b) => (direction === 'asc' ? a - b : b - a));
        expect(keys, `${param}=${direction}`).toEqual(sorted);
        expect(new Set(rows.map((r) => r.eventTypeId))).toEqual(new Set([101, 102]));
      }
    }
  });

  it('filters on updatedAt, start, end and createdAt inclusively', async () => {
    const all = await listAll('sortUpdatedAt=asc');
    const pivot = all[400]!.updatedAt;
    const after = await listAll(`sortUpdatedAt=asc&afterUpdatedAt=${pivot}`);
    expect(after).toEqual(all.filter((r) => ms(r.updatedAt) >= ms(pivot)));
    const before = await listAll(`beforeUpdatedAt=${pivot}&sortUpdatedAt=desc`);
    expect(before.map((r) => r.uid).sort()).toEqual(
      all
        .filter((r) => ms(r.updatedAt) <= ms(pivot))
        .map((r) => r.uid)
        .sort(),
    );
    const window = await listAll('afterStart=2026-06-01T00:00:00Z&beforeEnd=2026-06-15T00:00:00.000Z');
    expect(window.map((r) => r.uid).sort()).toEqual(
      all
        .filter((r) => ms(r.start) >= ms('2026-06-01T00:00:00Z') && ms(r.end) <= ms('2026-06-15T00:00:00Z'))
        .map((r) => r.uid)
        .sort(),
    );
    expect(window.length).toBeGreaterThan(0);
    const created = await listAll('afterCreatedAt=2026-05-01&beforeCreatedAt=2026-05-10');
    expect(created.every((r) => ms(r.createdAt) >= ms('2026-05-01') && ms(r.createdAt) < ms('2026-05-11'))).toBe(true);
  });

  it('filters on status with Cal.com semantics', async () => {
    const all = await listAll('sortStart=asc');
    const nowMs = now.getTime();
    const expectUids = (rows: Row[], wanted: (r: Row) => boolean) =>
      expect(rows.map((r) => r.uid)).toEqual(all.filter(wanted).map((r) => r.uid));
    const live = (r: Row) => r.status === 'accepted' || r.status === 'pending';
    expectUids(await listAll('status=upcoming&sortStart=asc'), (r) => ms(r.end) > nowMs && live(r));
    expectUids(await listAll('status=past&sortStart=asc'), (r) => ms(r.end) <= nowMs && live(r));
    expectUids(
      await listAll('status=cancelled&sortStart=asc'),
      (r) => r.status === 'cancelled' || r.status === 'rejected',
    );
    expectUids(await listAll('status=unconfirmed&sortStart=asc'), (r) => r.status === 'pending' && ms(r.end) > nowMs);
    expectUids(
      await listAll('status=upcoming,cancelled&sortStart=asc'),
      (r) => (ms(r.end) > nowMs && live(r)) || r.status === 'cancelled' || r.status === 'rejected',
    );
    expect((await listAll('status=recurring')).length).toBe(0);
  });

  it('filters on event type, attendee email and booking uid', async () => {
    const all = await listAll('sortStart=asc');
    const one = all[123]!;
    expect((await listAll(`bookingUid=${one.uid}`)).map((r) => r.uid)).toEqual([one.uid]);
    const email = one.attendees[0]!.email;
    const byEmail = await listAll(`attendeeEmail=${encodeURIComponent(email.toUpperCase())}`);
    expect(byEmail.map((r) => r.uid)).toContain(one.uid);
    expect(byEmail.every((r) => r.attendees[0]!.email === email)).toBe(true);
    const byType = await listAll(`eventTypeId=${one.eventTypeId}&sortStart=asc`);
    expect(byType.map((r) => r.uid)).toEqual(all.filter((r) => r.eventTypeId === one.eventTypeId).map((r) => r.uid));
  });

  it('answers an empty page past the end with consistent pagination', async () => {
    const { body } = await simGet(sim, '/v2/bookings?take=250&skip=5000');
    expect(body.data).toEqual([]);
    expect(body.pagination).toEqual({
      totalItems: 1_000,
      remainingItems: 0,
      returnedItems: 0,
      itemsPerPage: 250,
      currentPage: 21,
      totalPages: 4,
      hasNextPage: false,
      hasPreviousPage: true,
    });
  });
});
