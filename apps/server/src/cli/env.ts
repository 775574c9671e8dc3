import { calApiEnv, parseEnv, storageEnv } from '@calsync/service-kit';

/** What `pnpm calsync` reads: where the data lives, and the budget's size for `status`. */
export const cliEnvShape = {
  DATABASE_URL: storageEnv.DATABASE_URL,
  REDIS_URL: storageEnv.REDIS_URL,
  CAL_API_RATE_LIMIT: calApiEnv.CAL_API_RATE_LIMIT,
};
export type CliEnv = ReturnType<typeof loadCliEnv>;

export function loadCliEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(cliEnvShape, source);
}
