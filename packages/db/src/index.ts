export * from './client.ts';
export { ensureDatabase, migrate } from './migrate.ts';
export * from './schema/index.ts';
