import { httpEnv, metricsAccessEnv, parseEnv, proxyEnv, storageEnv, webhookEnv } from '@calsync/service-kit';

export const ingestEnvShape = { ...storageEnv, ...httpEnv, ...proxyEnv, ...webhookEnv, ...metricsAccessEnv };
export type IngestEnv = ReturnType<typeof loadIngestEnv>;

export function loadIngestEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(ingestEnvShape, source);
}
