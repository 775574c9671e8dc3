import type postgres from 'postgres';
import {
  bookingInsert,
  classifyBookingsSql,
  classifyEventTypesSql,
  eventTypeInsert,
  statusSpellings,
} from './classify.ts';
import { type AdoptedTableName, adoptedTables, keptName, quoteIdent } from './original-tables.ts';
import type { AdoptionReject, TableAdoption } from './report.ts';

type Sql = postgres.Sql | postgres.TransactionSql;

export const REJECTS_TABLE = 'cal_adoption_rejects';

/** The classification of `source` (an original table, under its own or its kept name) and its one parameter. */
function classified(table: AdoptedTableName, source: string, columns: ReadonlyMap<string, string>) {
  return table === 'cal_bookings'
    ? { query: classifyBookingsSql(source, columns), params: [JSON.stringify(statusSpellings)] }
    : { query: classifyEventTypesSql(source, columns), params: [] };
}

/** Everything the report says about one original table, except its access. Reads only. */
export async function describeTable(
  sql: Sql,
  table: AdoptedTableName,
  source: string,
  columns: ReadonlyMap<string, string>,
): Promise<Omit<TableAdoption, 'access' | 'hadRowLevelSecurity'>> {
  const { query, params } = classified(table, source, columns);
  const [counts] = await sql.unsafe<{ rows: number; adopted: number; from_metadata: number; from_key: number }[]>(
    `select count(*)::int as rows, count(*) filter (where reason is null)::int as adopted,
       count(*) filter (where reason is null and uid_source = 'metadata')::int as from_metadata,
       count(*) filter (where reason is null and uid_source = 'cal_booking_id')::int as from_key
     from (${query}) c`,
    params,
  );
  const rejects = await sql.unsafe<{ id: string; reason: AdoptionReject['reason']; detail: string }[]>(
    `select id::text, reason, detail from (${query}) c where reason is not null order by reason, id`,
    params,
  );
  const statusChanges =
    table === 'cal_bookings'
      ? await sql.unsafe<{ from: string; to: string; rows: number }[]>(
          `select status as from, normalised_status as to, count(*)::int as rows from (${query}) c
           where reason is null and status is distinct from normalised_status group by 1, 2 order by 3 desc, 1`,
          params,
        )
      : [];
  const seed = Object.keys(adoptedTables[table]);
  return {
    table,
    keptAs: keptName(table),
    rows: counts?.rows ?? 0,
    adopted: counts?.adopted ?? 0,
    rejects: rejects.map((r) => ({ table, id: r.id, reason: r.reason, detail: r.detail })),
    statusChanges: [...statusChanges],
    uidDerived: { fromMetadata: counts?.from_metadata ?? 0, fromCalBookingId: counts?.from_key ?? 0 },
    columnsNotCarried: [...columns.keys()].filter((c) => !seed.includes(c)),
    columnsMissing: seed.filter((c) => !columns.has(c)),
  };
}

/** Copies the adoptable rows of the kept original into calsync's table, ids unchanged; the rest into the rejects. */
export async function copyRows(
  sql: postgres.TransactionSql,
  table: AdoptedTableName,
  columns: ReadonlyMap<string, string>,
): Promise<void> {
  const { query, params } = classified(table, keptName(table), columns);
  const insert = table === 'cal_bookings' ? bookingInsert : eventTypeInsert;
  await sql.unsafe(
    `insert into ${quoteIdent(table)} (${insert.columns}) select ${insert.values} from (${query}) c where reason is null`,
    params,
  );
  await sql.unsafe(
    `insert into ${REJECTS_TABLE} (source_table, row_id, reason, detail, original_row)
     select $${params.length + 1}, id, reason, detail, original_row from (${query}) c where reason is not null`,
    [...params, table],
  );
}

/** Where rows that could not be adopted as is are listed, with why and the whole original row. */
export async function createRejectsTable(sql: postgres.TransactionSql): Promise<void> {
  await sql.unsafe(`CREATE TABLE IF NOT EXISTS ${REJECTS_TABLE} (
    source_table text NOT NULL,
    row_id uuid NOT NULL,
    reason text NOT NULL,
    detail text NOT NULL,
    original_row jsonb NOT NULL,
    adopted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_table, row_id)
  )`);
}
