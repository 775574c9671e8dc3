import type { Resources } from '@calsync/service-kit';
import type { Logger } from 'pino';
import type { WorkerEnv } from './env.ts';
import { startSyncProcessing } from './sync/index.ts';
import { startWebhookProcessing } from './webhooks/index.ts';

export interface WorkerDeps {
  env: WorkerEnv;
  resources: Resources;
  logger: Logger;
}

export interface RunningWorker {
  /** Finishes in-flight jobs, then closes the worker's own connections (not `resources`). */
  close: () => Promise<void>;
}

/** Starts every BullMQ worker and job scheduler: the webhook queue, then syncs and housekeeping. */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const parts = [await startWebhookProcessing(deps), await startSyncProcessing(deps)];
  return {
    close: async () => {
      await Promise.all(parts.map((part) => part.close()));
    },
  };
}
