import { accessEnv, calApiEnv, httpEnv, parseEnv, storageEnv } from '@calsync/service-kit';

export const apiEnvShape = { ...storageEnv, ...httpEnv, ...calApiEnv, ...accessEnv };
export type ApiEnv = ReturnType<typeof loadApiEnv>;

export function loadApiEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(apiEnvShape, source);
}
