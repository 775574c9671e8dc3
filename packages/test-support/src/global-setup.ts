import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate } from '@calsync/db';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { resolveTestServices } from './test-services.ts';

export interface ProvidedTestServices {
  databaseUrl: string;
  redisUrl: string;
  templateDatabase: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    calsyncTestServices: ProvidedTestServices;
  }
}

const migrationsDir = fileURLToPath(new URL('../../db/drizzle', import.meta.url));
const TEMPLATE_LOCK_ID = 727_002;

/** The template's name changes whenever a migration does, so a stale template is never used. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(`${migrationsDir}/${file}`));
  }
  return `calsync_test_tpl_${hash.digest('hex').slice(0, 12)}`;
}

/** Creates (once, under a lock) a migrated database that every test file clones: cloning is much faster than migrating. */
async function ensureTemplate(serverUrl: string): Promise<string> {
  const name = templateName();
  const admin = postgres(withDatabase(serverUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(${TEMPLATE_LOCK_ID})`;
    const [existing] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!existing) {
      await migrate(withDatabase(serverUrl, name));
      await admin.unsafe(`alter database "${name}" with is_template true`);
      await dropStaleTemplates(admin, name);
    }
    await admin`select pg_advisory_unlock(${TEMPLATE_LOCK_ID})`;
  } finally {
    await admin.end();
  }
  return name;
}

/**
 * Drops the templates of earlier migrations (one is left behind each time a migration changes). A template another
 * run is cloning right now cannot be dropped: it is skipped and goes next time.
 */
export async function dropStaleTemplates(admin: postgres.Sql, current: string) {
  const stale = await admin<Array<{ datname: string }>>`
    select datname from pg_database where datname like 'calsync\_test\_tpl\_%' and datname <> ${current}`;
  for (const { datname } of stale) {
    try {
      await admin.unsafe(`alter database "${datname}" with is_template false`);
      await admin.unsafe(`drop database "${datname}"`);
    } catch {
      // in use: left for the next run that creates a template
    }
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const services = await resolveTestServices();
  const templateDatabase = await ensureTemplate(services.databaseUrl);
  project.provide('calsyncTestServices', {
    databaseUrl: services.databaseUrl,
    redisUrl: services.redisUrl,
    templateDatabase,
  });
  return services.stop;
}
