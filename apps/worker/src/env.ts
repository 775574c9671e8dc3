import { calApiEnv, parseEnv, scheduleEnv, storageEnv } from '@calsync/service-kit';

export const workerEnvShape = { ...storageEnv, ...calApiEnv, ...scheduleEnv };
export type WorkerEnv = ReturnType<typeof loadWorkerEnv>;

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(workerEnvShape, source);
}
