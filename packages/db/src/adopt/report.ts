import type { AccessOutcome } from './access.ts';
import type { AdoptedTableName } from './original-tables.ts';

/** One original row that was not adopted as is. It stays in `<table>_original` and in `cal_adoption_rejects`. */
export interface AdoptionReject {
  table: AdoptedTableName;
  id: string;
  reason:
    | 'no_cal_uid'
    | 'unknown_status'
    | 'duplicate_cal_uid'
    | 'duplicate_cal_booking_id'
    | 'no_cal_event_type_id'
    | 'duplicate_cal_event_type_id';
  detail: string;
}

/** What adopting one original table does (or did). */
export interface TableAdoption {
  table: AdoptedTableName;
  /** Where the original table is kept, unchanged, until the user drops it. */
  keptAs: string;
  rows: number;
  adopted: number;
  rejects: AdoptionReject[];
  /** Rows whose status was spelt otherwise: `{ from: 'ACCEPTED', to: 'scheduled', rows: 12 }`. */
  statusChanges: Array<{ from: string; to: string; rows: number }>;
  /** Adopted rows whose cal_uid was empty and came from `metadata.uid` or from a uid held in `cal_booking_id`. */
  uidDerived: { fromMetadata: number; fromCalBookingId: number };
  /** Columns of the original that calsync does not have: their values stay in the kept original only. */
  columnsNotCarried: string[];
  /** calsync's columns from the original design that the adopted table lacked: adopted rows have them empty. */
  columnsMissing: string[];
  /** Whether the original had row-level security on; calsync's table always has it. */
  hadRowLevelSecurity: boolean;
  /** The original's policies and grants: calsync's table has calsync's instead; the kept original keeps its policies. */
  access: AccessOutcome[];
}

export interface AdoptionReport {
  /**
   * `adopted`: migrate() just did it; `would_adopt`: what `adopt --check` found; `not_needed`: no original tables, or
   * calsync already manages the database (then `previously` tells about an adoption done before).
   */
  outcome: 'adopted' | 'would_adopt' | 'not_needed';
  reason: string;
  tables: TableAdoption[];
  /** Other tables named like calsync's, renamed to `<name>_original` and left untouched. */
  setAside: string[];
  /** After an adoption: the queued reconciliation run that checks every adopted row against Cal.com. */
  reconcileRunId?: string;
  /** On a database adopted earlier: the kept originals and how many rows `cal_adoption_rejects` lists. */
  previously?: { keptTables: string[]; rejects: number };
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The report as text for a terminal or a log: every reject on a line of its own. */
export function formatAdoptionReport(report: AdoptionReport): string {
  if (report.outcome === 'not_needed') {
    const lines = [`Nothing to adopt: ${report.reason}.`];
    if (report.previously) {
      lines.push(
        `Adopted earlier: ${report.previously.keptTables.join(', ') || 'no original table'} kept; ` +
          `${plural(report.previously.rejects, 'row')} listed in cal_adoption_rejects.`,
      );
    }
    return lines.join('\n');
  }
  const will = report.outcome === 'would_adopt';
  const lines = [will ? `Adoption needed: ${report.reason}.` : `Adopted the original tables: ${report.reason}.`];
  for (const t of report.tables) lines.push('', ...formatTable(t, will));
  if (report.setAside.length > 0) {
    const names = report.setAside.map((name) => `${name} → ${name}_original`).join(', ');
    lines.push('', `${will ? 'Would set' : 'Set'} aside, untouched (calsync creates its own): ${names}`);
  }
  if (report.reconcileRunId) {
    lines.push('', `Reconciliation ${report.reconcileRunId} queued: it checks every adopted booking against Cal.com.`);
  } else if (will) {
    lines.push(
      '',
      'Run `pnpm db:migrate` or `pnpm start` to adopt; a reconciliation then checks every row against Cal.com.',
    );
  }
  return lines.join('\n');
}

function formatTable(t: TableAdoption, will: boolean): string[] {
  const lines = [
    `${t.table}: ${plural(t.rows, 'row')}, ${t.adopted.toLocaleString('en-US')} ${will ? 'can be' : ''} adopted with their ids`.replace(
      '  ',
      ' ',
    ),
    `  original ${will ? 'will be' : 'is'} kept as ${t.keptAs} (readable by its owner only) until you drop it`,
  ];
  for (const change of t.statusChanges) {
    lines.push(`  status ${JSON.stringify(change.from)} → ${change.to}: ${plural(change.rows, 'row')}`);
  }
  if (t.uidDerived.fromMetadata > 0)
    lines.push(`  cal_uid taken from metadata.uid: ${plural(t.uidDerived.fromMetadata, 'row')}`);
  if (t.uidDerived.fromCalBookingId > 0) {
    lines.push(
      `  cal_uid taken from cal_booking_id (it held the uid): ${plural(t.uidDerived.fromCalBookingId, 'row')}`,
    );
  }
  if (t.columnsNotCarried.length > 0)
    lines.push(`  columns calsync does not have (kept in ${t.keptAs}): ${t.columnsNotCarried.join(', ')}`);
  if (t.columnsMissing.length > 0)
    lines.push(`  columns the original lacked (left empty): ${t.columnsMissing.join(', ')}`);
  const rls = t.hadRowLevelSecurity ? 'was on' : 'was off';
  lines.push(`  row-level security ${rls}; calsync's table has calsync's (README "Row-level security")`);
  for (const a of t.access) {
    lines.push(`  ${a.kind} ${a.name} (${a.detail}): ${will ? 'will be replaced' : 'replaced'} by calsync's`);
  }
  if (t.rejects.length > 0) {
    lines.push(
      `  ${plural(t.rejects.length, 'row')} not adopted as is (kept in ${t.keptAs} and cal_adoption_rejects):`,
    );
    for (const r of t.rejects) lines.push(`    ${r.id}  ${r.reason}: ${r.detail}`);
  }
  return lines;
}
