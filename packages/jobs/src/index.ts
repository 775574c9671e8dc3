export * from './availability-cache.ts';
export * from './catalog.ts';
export * from './connection.ts';
export * from './failed-deliveries.ts';
export * from './queues.ts';
export * from './redis-keys.ts';
export * from './replay.ts';
export * from './request-sync.ts';
