export { createRandom, type Random } from './random.ts';
export { apiVersions } from './server/api-version.ts';
export { buildCalSimApp, type CalSimAppDeps } from './server/app.ts';
export type { PagingTotals } from './server/list-bookings.ts';
export { type LogEntry, RequestLog } from './server/request-log.ts';
export { toV2Booking, toV2EventType } from './server/v2-shapes.ts';
export { toV2Team, toV2TeamEventType } from './server/v2-team-routes.ts';
export { type CalSim, type CalSimOptions, startCalSim } from './start-cal-sim.ts';
export type { EventTypePatch, MarkAbsentBody } from './store/host-actions.ts';
export type { SeatHolderInput, SimChange } from './store/seats.ts';
export type { InstantMeetingInput, RecurringSeriesInput } from './store/series-and-instant.ts';
export {
  SimBadRequestError,
  SimConflictError,
  SimNotFoundError,
  SimStore,
  type SimStoreOptions,
} from './store/sim-store.ts';
export type { SortField } from './store/sorted-index.ts';
export { SimTeams, simTeam, simTeamHosts, type TeamEventTypeInput } from './store/teams.ts';
export type { SimEventType, SimTeam, SimTeamEventType, SimTeamHost } from './store/types.ts';
export * from './webhooks/index.ts';
