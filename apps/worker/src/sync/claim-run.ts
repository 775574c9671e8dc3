import { type CalSyncRun, createOrGetActiveSyncRun, type Database } from '@calsync/db';
import type { SyncJobData } from '@calsync/jobs';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { tryLockRun } from './run-lock.ts';
import { startRun } from './sync-runs.ts';

export interface ClaimedRun {
  run: CalSyncRun;
  /** Releases the run's lock; call it when the job stops working on the run, however it ends. */
  release: () => Promise<void>;
}

export interface ClaimDeps {
  db: Database;
  logger: Logger;
  /** An active run untouched this long has lost its job (its worker died for good): a scheduled job adopts it. */
  staleAfterMs: number;
}

/**
 * The run this job works on, locked and marked running; undefined when there is nothing to do: the run is finished
 * or held by another job, or (scheduled job) a run of the kind is already active. A scheduled job creates its run
 * and writes its id into the job's data, so the job resumes that same run if its worker dies.
 */
export async function claimRun(deps: ClaimDeps, job: Job, data: SyncJobData): Promise<ClaimedRun | undefined> {
  if (data.runId) return await lockAndStart(deps, data.runId);
  const { run, created } = await createOrGetActiveSyncRun(deps.db, data.kind, 'schedule');
  if (!created) {
    const idleMs = Date.now() - run.updatedAt.getTime();
    if (idleMs < deps.staleAfterMs) return undefined;
    deps.logger.warn({ runId: run.id, kind: run.kind, idleMs }, 'adopting a sync run that nobody has touched');
  }
  await job.updateData({ ...data, runId: run.id });
  return await lockAndStart(deps, run.id);
}

async function lockAndStart(deps: ClaimDeps, runId: string): Promise<ClaimedRun | undefined> {
  const release = await tryLockRun(deps.db, runId);
  if (!release) return undefined;
  try {
    const run = await startRun(deps.db, runId);
    if (run) return { run, release };
  } catch (error) {
    await release();
    throw error;
  }
  await release();
  return undefined;
}
