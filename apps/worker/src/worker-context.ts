import type { Resources } from '@calsync/service-kit';
import type { Logger } from 'pino';
import type { WorkerEnv } from './env.ts';

/** What every part of the worker is started with. The parts never close `resources`: their owner does. */
export interface WorkerDeps {
  env: WorkerEnv;
  resources: Resources;
  logger: Logger;
}

export interface RunningWorker {
  /** Finishes in-flight jobs, then closes the worker's own connections (not `resources`). */
  close: () => Promise<void>;
}
