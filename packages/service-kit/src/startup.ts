import { migrate } from '@calsync/db';
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

/** Creates the database if missing and applies migrations; when that fails, says where and exits 1. */
export async function migrateOrExit(databaseUrl: string, logger: Logger): Promise<void> {
  try {
    const { databaseCreated } = await migrate(databaseUrl);
    logger.info({ databaseCreated }, 'database migrated');
  } catch (error) {
    logger.fatal({ err: error }, `cannot migrate the database at DATABASE_URL (${new URL(databaseUrl).host})`);
    process.exit(1);
  }
}
