import { apiEnvShape } from '@calsync/api/host';
import { ingestEnvShape } from '@calsync/ingest';
import { parseEnv, withMailRules } from '@calsync/service-kit';
import { workerEnvShape } from '@calsync/worker/env';

/** The all-in-one process takes every part's configuration (from light entry points: reading it loads no routes). */
export const serverEnvShape = { ...ingestEnvShape, ...apiEnvShape, ...workerEnvShape };
export type ServerEnv = ReturnType<typeof loadServerEnv>;

export function loadServerEnv(source: Record<string, string | undefined> = process.env) {
  return withMailRules(parseEnv(serverEnvShape, source), source);
}
