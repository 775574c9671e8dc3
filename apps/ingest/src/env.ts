import {
  httpEnv,
  metricsAccessEnv,
  parseEnv,
  proxyEnv,
  redisDurabilityEnv,
  storageEnv,
  webhookEnv,
} from '@calsync/service-kit';

export const ingestEnvShape = {
  ...storageEnv,
  ...httpEnv,
  ...proxyEnv,
  ...webhookEnv,
  ...metricsAccessEnv,
  ...redisDurabilityEnv,
};
export type IngestEnv = ReturnType<typeof loadIngestEnv>;

export function loadIngestEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(ingestEnvShape, source);
}
