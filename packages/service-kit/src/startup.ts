import { formatAdoptionReport, type MigrateResult, migrate } from '@calsync/db';
import type { Logger } from 'pino';
import { EnvError } from './env.ts';

/** Parses the environment with `load`; a bad value prints every bad variable and exits with `exitCode`. */
export function loadEnvOrExit<Env>(processName: string, load: () => Env, exitCode = 1): Env {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`${processName}: ${error.message}`);
    process.exit(exitCode);
  }
}

/**
 * Creates the database if missing and applies migrations; when that fails, says where and exits 1. When this run
 * adopted the original design's tables, logs the adoption report (every row not adopted as is) first.
 */
export async function migrateOrExit(databaseUrl: string, logger: Logger): Promise<MigrateResult> {
  try {
    const result = await migrate(databaseUrl);
    if (result.adopted) logger.warn({ adoption: result.adopted }, formatAdoptionReport(result.adopted));
    logger.info({ databaseCreated: result.databaseCreated }, 'database migrated');
    return result;
  } catch (error) {
    logger.fatal({ err: error }, `cannot migrate the database at DATABASE_URL (${new URL(databaseUrl).host})`);
    process.exit(1);
  }
}
