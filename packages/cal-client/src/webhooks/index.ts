export {
  type BookingTrigger,
  bookingTriggers,
  type Delivery,
  type MeetingTrigger,
  parseDelivery,
} from './delivery.ts';
export {
  type BookingPayload,
  bookingPayloadSchema,
  type FlatBooking,
  type MeetingPayload,
  type NoShowPayload,
} from './delivery-schemas.ts';
export { type EnvelopeSummary, flatTriggers, peekTriggerEvent, readEnvelope, UNKNOWN_TRIGGER } from './envelope.ts';
export { WebhookShapeError } from './errors.ts';
export { NO_SECRET_SIGNATURE, type SignatureCheck, signBody, verifySignature } from './signature.ts';
