export {
  bookingPayload,
  everyAttendee,
  meetingRow,
  upperStatus,
  utcOffsetMinutes,
  webhookAttendee,
} from './booking-payload.ts';
export { type BuildOptions, buildDelivery, knownTriggers } from './build-delivery.ts';
export { type LifecycleKind, type LifecycleOptions, lifecycle, lifecycleKinds } from './lifecycle.ts';
export { defaultEventTypes, makeBooking, simOrganizer } from './make-booking.ts';
export { type PerturbOptions, perturbStream } from './perturb.ts';
export { sendDelivery, sendStream, signDelivery } from './send.ts';
export {
  buildInstantMeetingDelivery,
  buildMeetingEnvelopeDelivery,
  buildSeatCancelDelivery,
  buildSeatJoinDelivery,
  buildSeatMoveDelivery,
  buildTemplateDelivery,
  type SeatOptions,
  type SentAt,
} from './shape-deliveries.ts';
export { formatTime, type TimeFormat, timeFormats } from './time-format.ts';
export { stateAfter } from './trigger-state.ts';
export type { Delivery, SimAttendee, SimBooking, SimOrganizer, SimRecurringEvent } from './types.ts';
