export * from './client.ts';
export { ensureDatabase, migrate } from './migrate.ts';
export { executePrepared } from './prepared.ts';
export * from './schema/index.ts';
