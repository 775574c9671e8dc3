// The one place Cal.com's shapes become rows, also for the api's admin actions: Cal.com's answer is mirrored at once.
export { writeAttendees } from './bookings/attendees.ts';
export { lockBookings } from './bookings/lock-bookings.ts';
export { upsertBookings } from './bookings/upsert-bookings.ts';
export { loadWorkerEnv, type WorkerEnv, workerEnvShape } from './env.ts';
// Outbound webhooks: the api and the CLI manage endpoints through these.
export * as outbound from './outbound/index.ts';
export { type RunningWorker, startWorker, type WorkerDeps } from './start-worker.ts';
export { type ApiBookingWrite, apiBookingToWrite } from './sync/api-booking-to-state.ts';
export { toColumns as eventTypeToColumns } from './sync/event-types-sync.ts';
export { type SyncProcessingOptions, startSyncProcessing } from './sync/index.ts';
