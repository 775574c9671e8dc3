import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as drizzleMigrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { type AdoptionReport, adoptOriginalTables, planAdoption } from './adopt/index.ts';

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));
/** Any fixed number: every calsync process that migrates takes this lock first. */
const MIGRATION_LOCK_ID = 727_001;

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';
const UNDEFINED_DATABASE = '3D000';

/** Creates the database named in `url` when it does not exist (connecting to the server's `postgres` database). */
export async function ensureDatabase(url: string): Promise<{ created: boolean }> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error('DATABASE_URL names no database (expected …/calsync)');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${name}`;
    if (row) return { created: false };
    try {
      await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
      return { created: true };
    } catch (error) {
      // Two processes starting at once: the other one created it first.
      const code = (error as { code?: string }).code;
      if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return { created: false };
      throw error;
    }
  } finally {
    await sql.end();
  }
}

export interface MigrateResult {
  databaseCreated: boolean;
  /** Present when this run adopted the original design's tables (see `adoptOriginalTables`). */
  adopted?: AdoptionReport;
}

/**
 * Creates the database if missing, adopts the original design's tables when the database holds them and calsync has
 * never migrated it, then applies every committed migration that is not applied yet. Safe to run twice, and safe
 * when several processes run it at once (they queue on an advisory lock).
 */
export async function migrate(url: string): Promise<MigrateResult> {
  const { created } = await ensureDatabase(url);
  // Migrations RAISE NOTICE 'calsync: …' for what the operator must know (e.g. roles the user may not create).
  const onnotice = (notice: { message?: string }) => {
    if (notice.message?.startsWith('calsync:')) console.warn(notice.message);
  };
  const sql = postgres(url, { max: 1, onnotice });
  let adopted: AdoptionReport | null = null;
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      adopted = await adoptOriginalTables(sql);
      await drizzleMigrate(drizzle({ client: sql }), { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await sql.end();
  }
  return adopted ? { databaseCreated: created, adopted } : { databaseCreated: created };
}

/**
 * What migrate() would adopt on this database, changing nothing (`pnpm calsync adopt --check`). A database that does
 * not exist yet has nothing to adopt.
 */
export async function checkAdoption(url: string): Promise<AdoptionReport> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await planAdoption(sql);
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_DATABASE) {
      return { outcome: 'not_needed', reason: 'the database does not exist yet', tables: [], setAside: [] };
    }
    throw error;
  } finally {
    await sql.end();
  }
}
