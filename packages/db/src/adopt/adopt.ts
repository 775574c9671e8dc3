import type postgres from 'postgres';
import { closeToOwner, describeAccess, readAccess } from './access.ts';
import {
  type AdoptedTableName,
  AdoptionError,
  adoptedTableNames,
  calsyncTableNames,
  type DatabaseState,
  initialMigration,
  initialMigrationTables,
  inspectDatabase,
  keptName,
  quoteIdent,
} from './original-tables.ts';
import type { AdoptionReport, TableAdoption } from './report.ts';
import { copyRows, createRejectsTable, describeTable, REJECTS_TABLE } from './table-report.ts';

type Sql = postgres.Sql | postgres.TransactionSql;

type Decision =
  | { needed: false; reason: string }
  | { needed: true; reason: string; adopt: AdoptedTableName[]; setAside: string[] };

/**
 * Adoption is needed when tables named like calsync's exist but calsync's journal records no migration: the journal
 * may exist empty, since drizzle creates it before the first migration fails on `CREATE TABLE "cal_bookings"`.
 */
function decide(state: DatabaseState): Decision {
  if (state.journalRows !== null && state.journalRows > 0) {
    return { needed: false, reason: `calsync already manages this database (${state.journalRows} migrations applied)` };
  }
  const present = [...state.tables.keys()];
  if (present.length === 0) return { needed: false, reason: 'the database holds none of the original tables' };
  const adopt = adoptedTableNames.filter((t) => state.tables.has(t));
  for (const table of adopt) {
    const idType = state.tables.get(table)?.get('id');
    if (idType !== 'uuid') {
      throw new AdoptionError(
        `${table}.id is ${idType ? `of type ${idType}` : 'missing'}, not the original design's uuid primary key: ` +
          `this is not a table calsync can adopt; rename or drop it, then start again`,
      );
    }
  }
  const setAside = present.filter((t) => !(adoptedTableNames as string[]).includes(t) && !t.endsWith('_original'));
  const reason = `${present.join(', ')} exist${present.length === 1 ? 's' : ''} without calsync's migration journal`;
  return { needed: true, reason, adopt, setAside };
}

async function assertKeptNamesFree(sql: Sql, tables: string[]): Promise<void> {
  for (const table of tables) {
    const [row] = await sql<{ taken: boolean }[]>`
      select to_regclass(${`public.${quoteIdent(keptName(table))}`}) is not null as taken`;
    if (row?.taken) {
      throw new AdoptionError(
        `${keptName(table)} already exists, so ${table} cannot be kept under that name: rename or drop ` +
          `${keptName(table)}, then start again`,
      );
    }
  }
}

/** What adopting would do. Changes nothing (one read-only transaction). */
export async function planAdoption(sql: postgres.Sql): Promise<AdoptionReport> {
  return await sql.begin('read only', async (tx) => {
    const state = await inspectDatabase(tx);
    const decision = decide(state);
    if (!decision.needed) return { ...notNeeded(decision.reason), previously: await previousAdoption(tx) };
    await assertKeptNamesFree(tx, [...decision.adopt, ...decision.setAside]);
    const tables: TableAdoption[] = [];
    for (const table of decision.adopt) {
      const columns = state.tables.get(table)!;
      const access = await readAccess(tx, table);
      const description = await describeTable(tx, table, table, columns);
      tables.push({
        ...description,
        hadRowLevelSecurity: access.rowLevelSecurity,
        access: describeAccess(access),
      });
    }
    return { outcome: 'would_adopt', reason: decision.reason, tables, setAside: decision.setAside };
  });
}

/**
 * Adopts the original tables in one transaction, when there are any and calsync's journal is empty: each is renamed
 * to `<name>_original`, calsync's first migration creates calsync's tables (recorded in the journal as drizzle
 * does, so the remaining migrations then apply normally, over the adopted rows too), every adoptable row is copied
 * with its id, the rest listed in `cal_adoption_rejects`, and a reconciliation run queued. The originals' policies
 * and grants give way to calsync's (the later migrations set them); the kept originals are closed to their owner. Returns null when there was nothing to adopt. The caller holds the migration lock.
 */
export async function adoptOriginalTables(sql: postgres.Sql): Promise<AdoptionReport | null> {
  return await sql.begin(async (tx) => {
    const state = await inspectDatabase(tx);
    const decision = decide(state);
    if (!decision.needed) return null;
    await assertKeptNamesFree(tx, [...decision.adopt, ...decision.setAside]);
    for (const table of [...decision.adopt, ...decision.setAside]) await setAside(tx, table);
    await applyInitialMigration(tx);
    await createRejectsTable(tx);
    const tables: TableAdoption[] = [];
    for (const table of decision.adopt) {
      const columns = state.tables.get(table)!;
      const access = await readAccess(tx, keptName(table));
      await copyRows(tx, table, columns);
      const description = await describeTable(tx, table, keptName(table), columns);
      tables.push({ ...description, hadRowLevelSecurity: access.rowLevelSecurity, access: describeAccess(access) });
    }
    for (const table of [...decision.adopt, ...decision.setAside]) await closeToOwner(tx, keptName(table));
    await closeToOwner(tx, REJECTS_TABLE);
    for (const table of initialMigrationTables()) await closeToOwner(tx, table);
    // A queued run survives whoever adopted (db:migrate, api, worker): `pnpm start` enqueues its job, and a
    // scheduled reconcile takes it over if nobody does.
    const [run] = await tx<{ id: string }[]>`
      insert into cal_sync_runs (kind, trigger) values ('reconcile', 'manual') returning id`;
    return {
      outcome: 'adopted',
      reason: decision.reason,
      tables,
      setAside: decision.setAside,
      reconcileRunId: run?.id,
    };
  });
}

/** Renames a table and its indexes (index names are per schema: calsync's would collide) to `…_original`. */
async function setAside(sql: postgres.TransactionSql, table: string): Promise<void> {
  const indexes = await sql<{ name: string }[]>`
    select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = ${`public.${quoteIdent(table)}`}::regclass`;
  for (const { name } of indexes) {
    await sql.unsafe(`ALTER INDEX public.${quoteIdent(name)} RENAME TO ${quoteIdent(keptName(name.slice(0, 54)))}`);
  }
  await sql.unsafe(`ALTER TABLE public.${quoteIdent(table)} RENAME TO ${quoteIdent(keptName(table))}`);
}

/** Applies calsync's first migration and records it exactly as drizzle's migrator does. */
async function applyInitialMigration(sql: postgres.TransactionSql): Promise<void> {
  const migration = initialMigration();
  await sql`CREATE SCHEMA IF NOT EXISTS drizzle`;
  await sql`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`;
  for (const statement of migration.sql) await sql.unsafe(statement);
  await sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`;
}

function notNeeded(reason: string): AdoptionReport {
  return { outcome: 'not_needed', reason, tables: [], setAside: [] };
}

/** On a database adopted earlier: the originals still kept, and how many rows were not adopted as is. */
async function previousAdoption(sql: Sql): Promise<AdoptionReport['previously']> {
  const kept = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    where c.relkind = 'r' and c.relname = any(${calsyncTableNames().map(keptName)}) order by 1`;
  const [rejects] = await sql<
    { present: boolean }[]
  >`select to_regclass(${`public.${REJECTS_TABLE}`}) is not null as present`;
  if (kept.length === 0 && !rejects?.present) return undefined;
  const [count] = rejects?.present
    ? await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${REJECTS_TABLE}`)
    : [{ n: 0 }];
  return { keptTables: kept.map((k) => k.name), rejects: count?.n ?? 0 };
}
