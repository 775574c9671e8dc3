import type { RunningWorker, WorkerDeps } from '../start-worker.ts';

/** The webhook queue's worker and the sweeper (issue 4). */
export async function startWebhookProcessing(_deps: WorkerDeps): Promise<RunningWorker> {
  return { close: async () => {} };
}
