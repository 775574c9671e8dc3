export type { CalBookingsPage, RejectedBooking } from './bookings-page.ts';
export {
  type CalBookingStatusFilter,
  type CalClient,
  createCalClient,
  type GetSlotsInput,
  type ListBookingsFilters,
} from './client.ts';
export {
  BudgetExhaustedError,
  CalApiError,
  CalAuthError,
  CalBadRequestError,
  type CalErrorContext,
  CalNetworkError,
  CalNotFoundError,
  CalRateLimitedError,
  CalSchemaError,
  CalServerError,
  CalTimeoutError,
} from './errors.ts';
export {
  type AcquireOptions,
  type CalPriority,
  createRateBudget,
  type RateBudget,
  type RateBudgetOptions,
  type RateBudgetStatus,
} from './rate-budget.ts';
export {
  bookingsPageSchema,
  type CalApiBooking,
  type CalApiEventType,
  type CalPagination,
  type CalSlots,
  calApiBookingSchema,
  calApiEventTypeSchema,
  calErrorEnvelopeSchema,
  calPaginationSchema,
  calSlotsSchema,
  successEnvelope,
} from './schemas.ts';
export {
  type CalApiTeam,
  type CalApiTeamEventType,
  calApiTeamEventTypeSchema,
  calApiTeamSchema,
} from './team-schemas.ts';
export {
  CAL_API_VERSIONS,
  type CalCallOptions,
  type CalClientOptions,
  type CalFamily,
  type CalRequestInfo,
  type CalWriteMethod,
} from './transport.ts';
export type {
  CalWrites,
  CancelBookingInput,
  DeclineBookingInput,
  MarkAbsentInput,
  UpdateEventTypeInput,
} from './writes.ts';
