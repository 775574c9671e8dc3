export type { DeliveryStores, PendingDelivery } from './delivery-batcher.ts';
export { type IngestEnv, ingestEnvShape, loadIngestEnv } from './env.ts';
export { type IngestOptions, ingestPlugin } from './plugin.ts';
export { nextReceivedAt } from './received-clock.ts';
export { durableStores } from './stores.ts';
