import {
  accessEnv,
  calApiEnv,
  httpEnv,
  metricsListenerEnv,
  parseEnv,
  scheduleEnv,
  storageEnv,
} from '@calsync/service-kit';

const { ADMIN_TOKEN, METRICS_TOKEN } = accessEnv; // they open /metrics on METRICS_PORT
export const workerEnvShape = {
  ...storageEnv,
  ...calApiEnv,
  ...scheduleEnv,
  ...metricsListenerEnv,
  HOST: httpEnv.HOST,
  ADMIN_TOKEN,
  METRICS_TOKEN,
};
export type WorkerEnv = ReturnType<typeof loadWorkerEnv>;

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(workerEnvShape, source);
}
