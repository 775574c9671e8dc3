import { createRandom, type Random } from '../random.ts';
import { makeBooking } from '../webhooks/make-booking.ts';
import type { Delivery, SimBooking } from '../webhooks/types.ts';
import type { BookingStore } from './booking-store.ts';
import { SimNotFoundError } from './errors.ts';
import { generateBookings, generateEventTypes } from './generator.ts';
import {
  cancelBookingByHost,
  confirmBooking,
  declineBooking,
  type EventTypePatch,
  type MarkAbsentBody,
  markAbsent,
  updateEventType,
} from './host-actions.ts';
import { applyRealShapes } from './real-shapes.ts';
import { addSeat, cancelSeat, moveSeat, type SeatHolderInput, type SimChange } from './seats.ts';
import {
  cancelRemainingOccurrences,
  createInstantMeeting,
  createRecurringSeries,
  type InstantMeetingInput,
  markHostAbsent,
  type RecurringSeriesInput,
} from './series-and-instant.ts';
import { compareBy, positionOf, type SortField } from './sorted-index.ts';
import { SimTeams } from './teams.ts';
import type { SimEventType } from './types.ts';

export interface SimStoreOptions {
  bookings?: number;
  eventTypes?: number;
  seed?: number;
  now?: () => Date;
  /**
   * `simple` (default): the plain mix of accepted, pending, cancelled, rejected and rescheduled bookings.
   * `real`: also the shapes real accounts send: seated bookings with several seat holders, recurring series,
   * instant meetings awaiting a host, addresses and phone numbers as locations, `""` reasons, absent hosts,
   * and team event types.
   */
  shapes?: 'simple' | 'real';
}

export { SimBadRequestError, SimConflictError, SimNotFoundError } from './errors.ts';

/**
 * The simulated Cal.com account: its event types and bookings, changed the way a real account changes
 * (every change bumps updatedAt to now()). Bookings are kept sorted per sort field so listing a page costs a
 * binary search and a slice, not a sort: the updatedAt order is kept up to date on every change, the others
 * are rebuilt lazily after a change.
 */
export class SimStore implements BookingStore {
  readonly now: () => Date;
  readonly #random: Random;
  readonly #byUid = new Map<string, SimBooking>();
  readonly #eventTypes = new Map<number, SimEventType>();
  readonly #sorted = new Map<SortField, SimBooking[]>();
  /** The teams of the key's user and their event types. */
  readonly teams = new SimTeams();
  /**
   * Deliveries caused by the API's write routes (confirm, decline, cancel, mark-absent), oldest first: Cal.com sends
   * them after answering, the simulator when `/_sim/outbox/send` says where to.
   */
  readonly outbox: Delivery[] = [];
  #nextId: number;

  constructor(options: SimStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    const seed = options.seed ?? 1;
    this.#random = createRandom(seed ^ 0x5eed);
    const real = options.shapes === 'real';
    for (const eventType of generateEventTypes(options.eventTypes ?? 4)) this.#eventTypes.set(eventType.id, eventType);
    // The real mix seats the second event type, so its bookings can hold several seat holders.
    const seated = real ? this.eventTypes()[1] : undefined;
    if (seated) seated.seatsPerTimeSlot = 6;
    const generated = generateBookings(options.bookings ?? 500, [...this.#eventTypes.values()], seed, this.now());
    if (real) applyRealShapes(generated, { seed, now: this.now(), teams: this.teams, eventTypes: this.eventTypes() });
    for (const booking of generated) this.#byUid.set(booking.uid, booking);
    this.#nextId = generated.length + 1;
  }

  /** Every booking, ascending by (field, id). The array is shared: do not modify it. */
  sortedBy(field: SortField): readonly SimBooking[] {
    let sorted = this.#sorted.get(field);
    if (!sorted) {
      sorted = [...this.#byUid.values()].sort(compareBy(field));
      this.#sorted.set(field, sorted);
    }
    return sorted;
  }

  bookings(): SimBooking[] {
    return [...this.#byUid.values()].sort((a, b) => a.id - b.id);
  }

  booking(uid: string): SimBooking | undefined {
    return this.#byUid.get(uid);
  }

  /** The booking with `uid`; throws SimNotFoundError when there is none. */
  requireBooking(uid: string): SimBooking {
    return this.#require(uid);
  }

  /** A fresh Cal.com-like uid from the store's seeded generator (bookings, seats, series). */
  randomUid(): string {
    return this.#random.uid();
  }

  /** A copy of the booking for the webhook builders, so a delivery describes what the API returns. */
  toSimBooking(uid: string): SimBooking {
    return structuredClone(this.#require(uid));
  }

  eventTypes(): SimEventType[] {
    return [...this.#eventTypes.values()];
  }

  eventType(id: number): SimEventType | undefined {
    return this.#eventTypes.get(id);
  }

  /** A new booking (default: accepted, on the first event type, tomorrow); created and updated now. */
  createBooking(partial: Partial<SimBooking> = {}): SimBooking {
    const id = this.#nextId++;
    const eventType = this.#eventTypes.get(partial.eventTypeId ?? -1) ?? this.eventTypes()[0];
    const now = this.now().toISOString();
    const start = partial.start ?? new Date(Math.ceil(Date.parse(now) / 3_600_000 + 24) * 3_600_000).toISOString();
    const minutes = eventType?.lengthInMinutes ?? 30;
    const booking = makeBooking(
      {
        ...(eventType
          ? { eventTypeId: eventType.id, eventTypeSlug: eventType.slug, eventTypeTitle: eventType.title }
          : {}),
        ...(eventType ? { price: eventType.price, currency: eventType.currency } : {}),
        start,
        end: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
        uid: this.#random.uid(),
        ...partial,
        id,
        createdAt: now,
        updatedAt: now,
      },
      id,
    );
    if (this.#byUid.has(booking.uid)) throw new Error(`uid: ${booking.uid} already exists`);
    // A booking on a seated event type is seated: its booker holds the first seat.
    if (eventType?.seatsPerTimeSlot && partial.seatsPerTimeSlot === undefined) {
      booking.seatsPerTimeSlot = eventType.seatsPerTimeSlot;
      booking.attendee = { ...booking.attendee, seatUid: booking.attendee.seatUid ?? this.#random.uid() };
    }
    this.#insert(booking);
    return booking;
  }

  /** Changes a booking upstream (status, times, …); bumps updatedAt. `uid` and `id` cannot change. */
  updateBooking(uid: string, patch: Partial<SimBooking>): SimBooking {
    const booking = this.#require(uid);
    this.#remove(booking);
    Object.assign(booking, patch, { uid: booking.uid, id: booking.id, updatedAt: this.now().toISOString() });
    this.#insert(booking);
    return booking;
  }

  cancelBooking(uid: string, reason = 'Cancelled by the organizer'): SimBooking {
    const booking = this.#require(uid);
    return this.updateBooking(uid, {
      status: 'cancelled',
      cancellationReason: reason,
      cancelledByEmail: booking.organizer.email,
    });
  }

  /** Moves a booking: the old one becomes cancelled with `rescheduledToUid`; returns the new booking. */
  rescheduleBooking(uid: string, newStart: string | Date): SimBooking {
    const old = this.#require(uid);
    const startMs = new Date(newStart).getTime();
    if (Number.isNaN(startMs)) throw new Error(`newStart: not a date: ${String(newStart)}`);
    const duration = Date.parse(old.end) - Date.parse(old.start);
    const { uid: _uid, id: _id, ...rest } = structuredClone(old);
    const fresh = this.createBooking({
      ...rest,
      status: 'accepted',
      start: new Date(startMs).toISOString(),
      end: new Date(startMs + duration).toISOString(),
      rescheduledFromUid: old.uid,
      rescheduledFromId: old.id,
      rescheduledToUid: null,
      cancellationReason: null,
      cancelledByEmail: null,
      rejectionReason: null,
      reschedulingReason: 'Rescheduled upstream',
      rescheduledByEmail: old.organizer.email,
    });
    this.updateBooking(uid, {
      status: 'cancelled',
      rescheduledToUid: fresh.uid,
      cancellationReason: 'Rescheduled',
      rescheduledByEmail: old.organizer.email,
    });
    return fresh;
  }

  /** A new seat holder joins a seated booking; updatedAt does not move. Returns the seat uid and the delivery. */
  addSeat(uid: string, attendee: SeatHolderInput): SimChange & { seatUid: string } {
    return addSeat(this, uid, attendee);
  }

  /** One seat holder leaves; the booking stays accepted for the others. One BOOKING_CANCELLED about that seat. */
  cancelSeat(uid: string, seatUid: string, reason?: string): SimChange {
    return cancelSeat(this, uid, seatUid, reason);
  }

  /** One seat holder moves to `newStart`; `previous` (the booking left) stays accepted. One BOOKING_RESCHEDULED. */
  moveSeat(uid: string, seatUid: string, newStart: string | Date): SimChange & { previous: SimBooking } {
    return moveSeat(this, uid, seatUid, newStart);
  }

  /** A recurring series: one booking and one BOOKING_CREATED per occurrence. */
  createRecurringSeries(input: RecurringSeriesInput): { bookings: SimBooking[]; deliveries: Delivery[] } {
    return createRecurringSeries(this, input);
  }

  /** Cancels every remaining occurrence of `uid`'s series; ONE BOOKING_CANCELLED, about `uid`. */
  cancelRemainingOccurrences(uid: string, reason?: string): { bookings: SimBooking[]; deliveries: Delivery[] } {
    return cancelRemainingOccurrences(this, uid, reason);
  }

  /** An instant meeting left awaiting a host, and its INSTANT_MEETING delivery. */
  createInstantMeeting(input?: InstantMeetingInput): SimChange {
    return createInstantMeeting(this, input);
  }

  /** Sets `absentHost` (bumps updatedAt); Cal.com sends no webhook for it. */
  markHostAbsent(uid: string, absent = true): SimChange {
    return markHostAbsent(this, uid, absent);
  }

  /** The host confirms a pending booking (API v2); BOOKING_CREATED goes to the outbox. */
  confirmBooking(uid: string): SimChange {
    return this.#queue(confirmBooking(this, uid));
  }

  /** The host declines a pending booking (API v2); BOOKING_REJECTED goes to the outbox. */
  declineBooking(uid: string, reason?: string): SimChange {
    return this.#queue(declineBooking(this, uid, reason));
  }

  /** The host cancels a booking for everyone (API v2); BOOKING_CANCELLED goes to the outbox. */
  cancelBookingByHost(uid: string, reason?: string): SimChange {
    return this.#queue(cancelBookingByHost(this, uid, reason));
  }

  /** The host marks attendees (or themselves) absent (API v2); BOOKING_NO_SHOW_UPDATED for attendees. */
  markAbsent(uid: string, body: MarkAbsentBody): SimChange {
    return this.#queue(markAbsent(this, uid, body));
  }

  /** `PATCH /v2/event-types/{id}`. */
  updateEventType(id: number, patch: EventTypePatch): SimEventType {
    return updateEventType(this, id, patch);
  }

  #queue(change: SimChange): SimChange {
    this.outbox.push(...change.deliveries);
    return change;
  }

  deleteEventType(id: number): void {
    if (!this.#eventTypes.delete(id)) throw new SimNotFoundError(`event type ${id} not found`);
  }

  setEventTypeHidden(id: number, hidden: boolean): SimEventType {
    const eventType = this.#eventTypes.get(id);
    if (!eventType) throw new SimNotFoundError(`event type ${id} not found`);
    eventType.hidden = hidden;
    return eventType;
  }

  #require(uid: string): SimBooking {
    const booking = this.#byUid.get(uid);
    if (!booking) throw new SimNotFoundError(`booking ${uid} not found`);
    return booking;
  }

  #remove(booking: SimBooking) {
    this.#byUid.delete(booking.uid);
    const byUpdated = this.#sorted.get('updatedAt');
    if (byUpdated) byUpdated.splice(positionOf(byUpdated, 'updatedAt', booking), 1);
    for (const field of ['start', 'end', 'createdAt'] as const) this.#sorted.delete(field);
  }

  #insert(booking: SimBooking) {
    this.#byUid.set(booking.uid, booking);
    const byUpdated = this.#sorted.get('updatedAt');
    // updatedAt is usually now(), the largest: the insert lands at the end.
    if (byUpdated) byUpdated.splice(positionOf(byUpdated, 'updatedAt', booking), 0, booking);
    for (const field of ['start', 'end', 'createdAt'] as const) this.#sorted.delete(field);
  }
}
