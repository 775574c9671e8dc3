import { useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { createOrGetActiveSyncRun, failQueuedSyncRun, getActiveSyncRun, getSyncRun } from './sync-run-rows.ts';

const env = useTestEnv();

describe('sync run rows', () => {
  it('creates one active run per kind: concurrent requests get the same run', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => createOrGetActiveSyncRun(env.db, 'reconcile', 'manual')),
    );
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await getActiveSyncRun(env.db, 'reconcile'))?.id).toBe(results[0]?.run.id);
  });

  it('fails a run only while it is queued, and then a new one can be created', async () => {
    const { run } = await createOrGetActiveSyncRun(env.db, 'event_types_sync', 'manual');
    expect(await failQueuedSyncRun(env.db, run.id, 'could not enqueue: Redis is down')).toBe(true);
    expect(await getSyncRun(env.db, run.id)).toMatchObject({
      status: 'failed',
      error: 'could not enqueue: Redis is down',
    });
    expect(await failQueuedSyncRun(env.db, run.id, 'again')).toBe(false);
    expect(await getActiveSyncRun(env.db, 'event_types_sync')).toBeUndefined();
    expect((await createOrGetActiveSyncRun(env.db, 'event_types_sync', 'manual')).created).toBe(true);
  });

  it('getSyncRun answers undefined for an unknown or malformed id', async () => {
    expect(await getSyncRun(env.db, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await getSyncRun(env.db, 'not-a-uuid')).toBeUndefined();
  });
});
