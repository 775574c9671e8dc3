import {
  calApiEnv,
  httpEnv,
  metricsAccessEnv,
  metricsListenerEnv,
  parseEnv,
  scheduleEnv,
  storageEnv,
} from '@calsync/service-kit';

export const workerEnvShape = {
  ...storageEnv,
  ...calApiEnv,
  ...scheduleEnv,
  // /metrics, /healthz and /readyz on HOST:METRICS_PORT when set
  ...metricsListenerEnv,
  HOST: httpEnv.HOST,
  ...metricsAccessEnv,
};
export type WorkerEnv = ReturnType<typeof loadWorkerEnv>;

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(workerEnvShape, source);
}
