export {
  AdoptionError,
  type AdoptionReject,
  type AdoptionReport,
  formatAdoptionReport,
  type TableAdoption,
} from './adopt/index.ts';
export * from './client.ts';
export { listen } from './listen.ts';
export { checkAdoption, ensureDatabase, type MigrateResult, migrate } from './migrate.ts';
export { columnName, execute, queryRow, queryRows } from './query.ts';
export * from './schema/index.ts';
export { tryHoldAdvisoryLock } from './session-lock.ts';
export * from './sync-run-rows.ts';
export { type Transaction, type TransactionOptions, transaction } from './transaction.ts';
export * from './webhook-event-reads.ts';
export * from './webhook-event-writes.ts';
