export { type BookingTrigger, bookingTriggers, type Delivery, parseDelivery } from './delivery.ts';
export {
  type BookingPayload,
  bookingPayloadSchema,
  type FlatBooking,
  type NoShowPayload,
} from './delivery-schemas.ts';
export { type EnvelopeSummary, flatTriggers, readEnvelope } from './envelope.ts';
export { WebhookShapeError } from './errors.ts';
export { NO_SECRET_SIGNATURE, type SignatureCheck, signBody, verifySignature } from './signature.ts';
