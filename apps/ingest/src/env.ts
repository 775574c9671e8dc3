import { accessEnv, httpEnv, parseEnv, storageEnv, webhookEnv } from '@calsync/service-kit';

const { ADMIN_TOKEN, METRICS_TOKEN } = accessEnv; // they open this process's /metrics
export const ingestEnvShape = { ...storageEnv, ...httpEnv, ...webhookEnv, ADMIN_TOKEN, METRICS_TOKEN };
export type IngestEnv = ReturnType<typeof loadIngestEnv>;

export function loadIngestEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(ingestEnvShape, source);
}
