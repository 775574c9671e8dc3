export * from './attendees.ts';
export * from './bookings.ts';
export * from './changes.ts';
export * from './event-types.ts';
export * from './notifications.ts';
export * from './sync-runs.ts';
export * from './sync-skipped-items.ts';
export * from './webhook-events.ts';
