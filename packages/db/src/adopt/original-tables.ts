import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type postgres from 'postgres';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** The original design's tables that calsync adopts row by row, and their columns (with calsync's type). */
export const adoptedTables = {
  cal_bookings: {
    id: 'uuid',
    cal_booking_id: 'text',
    cal_uid: 'text',
    event_type_id: 'text',
    event_type_slug: 'text',
    title: 'text',
    start_time: 'timestamptz',
    end_time: 'timestamptz',
    attendee_name: 'text',
    attendee_email: 'text',
    attendee_timezone: 'text',
    status: 'text',
    meeting_url: 'text',
    location: 'text',
    metadata: 'jsonb',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  cal_event_types: {
    id: 'uuid',
    cal_event_type_id: 'text',
    slug: 'text',
    title: 'text',
    description: 'text',
    length: 'integer',
    price: 'integer',
    currency: 'text',
    active: 'boolean',
    metadata: 'jsonb',
    last_synced_at: 'timestamptz',
    created_at: 'timestamptz',
  },
} as const;

export type AdoptedTableName = keyof typeof adoptedTables;
export const adoptedTableNames = Object.keys(adoptedTables) as AdoptedTableName[];

/** Where an adopted (or set-aside) table is kept, untouched, until the user drops it. */
export const keptName = (table: string) => `${table}_original`;

/** Thrown when the database cannot be adopted as it is; the message says what to do. */
export class AdoptionError extends Error {
  override name = 'AdoptionError';
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function tablesCreatedBy(statements: string[]): string[] {
  const names = new Set<string>();
  for (const statement of statements) {
    for (const match of statement.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(?:public"?\."?)?(\w+)"?/gi)) {
      names.add(match[1]!);
    }
  }
  return [...names];
}

/** Every table some calsync migration creates: any of them already present in an unmanaged database is in the way. */
export function calsyncTableNames(): string[] {
  return tablesCreatedBy(readMigrationFiles({ migrationsFolder }).flatMap((m) => m.sql));
}

/** The tables calsync's first migration creates. */
export function initialMigrationTables(): string[] {
  return tablesCreatedBy(initialMigration().sql);
}

export interface DatabaseState {
  /** Rows in calsync's migration journal; null when the journal table does not exist. */
  journalRows: number | null;
  /** Tables of `public` named like one of calsync's, with their columns (name → type as `format_type` spells it). */
  tables: Map<string, Map<string, string>>;
}

/** Reads what decides whether (and what) to adopt. Changes nothing. */
export async function inspectDatabase(sql: postgres.Sql | postgres.TransactionSql): Promise<DatabaseState> {
  const [journal] = await sql<{ present: boolean }[]>`
    select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
  let journalRows: number | null = null;
  if (journal?.present) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    journalRows = row?.n ?? 0;
  }
  const names = calsyncTableNames();
  const columns = await sql<{ table_name: string; column_name: string; type: string }[]>`
    select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relkind in ('r', 'p') and c.relname = any(${names})
    order by c.relname, a.attnum`;
  const tables = new Map<string, Map<string, string>>();
  for (const row of columns) {
    const table = tables.get(row.table_name) ?? new Map<string, string>();
    table.set(row.column_name, row.type);
    tables.set(row.table_name, table);
  }
  return { journalRows, tables };
}

/** The first migration: it creates the tables that adoption fills, so adoption applies it itself. */
export function initialMigration() {
  const [first] = readMigrationFiles({ migrationsFolder });
  for (const table of adoptedTableNames) {
    if (!first?.sql.some((statement) => statement.includes(`CREATE TABLE "${table}"`))) {
      throw new AdoptionError(`calsync's first migration does not create ${table}: adoption cannot place its rows`);
    }
  }
  return first!;
}
