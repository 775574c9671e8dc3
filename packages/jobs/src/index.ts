export * from './availability-cache.ts';
export * from './catalog.ts';
