import type { SimBooking } from '../webhooks/types.ts';
import type { SimEventType } from './types.ts';

/**
 * The part of the store that the seat, series and host-action helpers use. SimStore implements it; the helpers take
 * this rather than SimStore, so they sit below sim-store.ts, which calls them.
 */
export interface BookingStore {
  readonly now: () => Date;
  /** Every booking, ascending by id. */
  bookings(): SimBooking[];
  booking(uid: string): SimBooking | undefined;
  /** Throws SimNotFoundError when there is none. */
  requireBooking(uid: string): SimBooking;
  randomUid(): string;
  eventTypes(): SimEventType[];
  eventType(id: number): SimEventType | undefined;
  createBooking(partial?: Partial<SimBooking>): SimBooking;
  updateBooking(uid: string, patch: Partial<SimBooking>): SimBooking;
  cancelBooking(uid: string, reason?: string): SimBooking;
}
