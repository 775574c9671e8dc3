import { apiEnvShape } from '@calsync/api';
import { ingestEnvShape } from '@calsync/ingest';
import { parseEnv, withMailRules } from '@calsync/service-kit';
import { workerEnvShape } from '@calsync/worker';

/** The all-in-one process takes every part's configuration. */
export const serverEnvShape = { ...ingestEnvShape, ...apiEnvShape, ...workerEnvShape };
export type ServerEnv = ReturnType<typeof loadServerEnv>;

export function loadServerEnv(source: Record<string, string | undefined> = process.env) {
  return withMailRules(parseEnv(serverEnvShape, source), source);
}
