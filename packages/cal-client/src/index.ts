export * from './api/index.ts';
export * from './webhooks/index.ts';
