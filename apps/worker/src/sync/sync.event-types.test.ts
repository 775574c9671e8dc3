import { calEventTypes } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness } from '../../test/sync-harness.ts';

const env = useTestEnv();
let harness: SyncHarness;

beforeAll(async () => {
  harness = await startSyncHarness(env, { rateLimit: 20, windowMs: 1_000, sim: { bookings: 10, eventTypes: 4 } });
  await harness.startWorker();
});
afterAll(async () => {
  await harness?.close();
});

const rows = () => env.db.select().from(calEventTypes).orderBy(asc(calEventTypes.calEventTypeId));

describe('event types sync', () => {
  // Requests per run: the owner's event types, the key user's teams, and each team's event types (one team here).
  it('creates every event type in three requests, with last_synced_at', async () => {
    const run = await harness.finished((await harness.request('event_types_sync')).id);
    expect(run).toMatchObject({ status: 'succeeded', requests: 3, rowsCreated: 4, rowsUpdated: 0 });
    const upstream = harness.sim.store.eventTypes();
    const stored = await rows();
    expect(stored).toHaveLength(4);
    const first = upstream[0]!;
    expect(stored.find((row) => row.calEventTypeId === String(first.id))).toMatchObject({
      slug: first.slug,
      title: first.title,
      length: first.lengthInMinutes,
      active: !first.hidden,
      deletedAt: null,
      lastSyncedAt: expect.any(Date),
    });
  });

  it('counts unchanged ones, makes a deleted one inactive with deleted_at and a hidden one inactive', async () => {
    const [deleted, hidden] = harness.sim.store.eventTypes();
    harness.sim.store.deleteEventType(deleted!.id);
    harness.sim.store.setEventTypeHidden(hidden!.id, true);
    const run = await harness.finished((await harness.request('event_types_sync')).id);
    expect(run).toMatchObject({ status: 'succeeded', requests: 3, rowsCreated: 0, rowsUpdated: 2, rowsUnchanged: 2 });
    const stored = await rows();
    expect(stored.find((row) => row.calEventTypeId === String(deleted!.id))).toMatchObject({
      active: false,
      deletedAt: expect.any(Date),
    });
    expect(stored.find((row) => row.calEventTypeId === String(hidden!.id))).toMatchObject({
      active: false,
      hidden: true,
      deletedAt: null,
    });
    expect(stored.filter((row) => row.active)).toHaveLength(2);
  });

  it('changes nothing when nothing changed upstream', async () => {
    const before = await rows();
    const run = await harness.finished((await harness.request('event_types_sync')).id);
    expect(run).toMatchObject({ status: 'succeeded', requests: 3, rowsCreated: 0, rowsUpdated: 0, rowsUnchanged: 3 });
    expect(await rows()).toEqual(before);
  });

  it("mirrors the key user's team event types (round robin, collective) with their team, and sees them deleted", async () => {
    const [team] = harness.sim.store.teams.list();
    const roundRobin = harness.sim.store.teams.createEventType(team!.id, { title: 'Sales round robin' });
    const collective = harness.sim.store.teams.createEventType(team!.id, {
      title: 'Panel',
      schedulingType: 'COLLECTIVE',
    });
    const run = await harness.finished((await harness.request('event_types_sync')).id);
    expect(run).toMatchObject({ status: 'succeeded', requests: 3, rowsCreated: 2, rowsUnchanged: 3 });
    const byId = async (id: number) => (await rows()).find((row) => row.calEventTypeId === String(id));
    expect(await byId(roundRobin.id)).toMatchObject({
      teamId: String(team!.id),
      schedulingType: 'roundRobin',
      title: 'Sales round robin',
      active: true,
    });
    expect(await byId(collective.id)).toMatchObject({ teamId: String(team!.id), schedulingType: 'collective' });

    harness.sim.store.teams.deleteEventType(team!.id, roundRobin.id);
    const after = await harness.finished((await harness.request('event_types_sync')).id);
    expect(after).toMatchObject({ status: 'succeeded', rowsUpdated: 1 });
    expect(await byId(roundRobin.id)).toMatchObject({ active: false, deletedAt: expect.any(Date) });
    expect(await byId(collective.id)).toMatchObject({ active: true, deletedAt: null });
  });
});
