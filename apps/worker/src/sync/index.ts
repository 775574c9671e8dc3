import type { RunningWorker, WorkerDeps } from '../start-worker.ts';

/** Sync workers and job schedulers (issue 5). */
export async function startSyncProcessing(_deps: WorkerDeps): Promise<RunningWorker> {
  return { close: async () => {} };
}
