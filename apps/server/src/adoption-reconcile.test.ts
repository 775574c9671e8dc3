import { randomBytes } from 'node:crypto';
import { migrate } from '@calsync/db';
import { createOriginalDatabase } from '@calsync/db/testing';
import { openSyncQueue } from '@calsync/jobs';
import { createResources } from '@calsync/service-kit';
import { pino } from 'pino';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { queueAdoptionReconcile } from './adoption-reconcile.ts';

const services = inject('calsyncTestServices');
const name = `calsync_test_adopt_start_${randomBytes(4).toString('hex')}`;
const redisPrefix = `calsync-test-${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  const admin = postgres(services.databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe('start-up after adopting the original tables', () => {
  it("queues the adoption's reconciliation run as a job, once", async () => {
    const original = await createOriginalDatabase(services.databaseUrl, name, 120);
    const { adopted } = await migrate(original.url);
    expect(adopted?.reconcileRunId).toBeDefined();

    const resources = createResources({ databaseUrl: original.url, redisUrl: services.redisUrl, redisPrefix });
    const queue = openSyncQueue({ redisUrl: services.redisUrl, prefix: redisPrefix });
    try {
      expect(await queue.getJob(adopted!.reconcileRunId!)).toBeUndefined();
      const run = await queueAdoptionReconcile(resources, pino({ level: 'silent' }));
      expect(run?.id).toBe(adopted!.reconcileRunId);
      const job = await queue.getJob(run!.id);
      expect(job?.data).toEqual({ kind: 'reconcile', trigger: 'manual', runId: run!.id });
      // A second start finds the run queued with its job: nothing new.
      await queueAdoptionReconcile(resources, pino({ level: 'silent' }));
      expect(await queue.getJobCounts('waiting', 'prioritized', 'delayed')).toMatchObject({ waiting: 1 });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await resources.close();
    }
  }, 60_000);
});
