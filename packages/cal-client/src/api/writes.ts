import {
  type CalApiBooking,
  type CalApiEventType,
  calApiBookingSchema,
  calApiEventTypeSchema,
  successEnvelope,
} from './schemas.ts';
import type { CalCallOptions, CalTransport } from './transport.ts';

/** `POST /v2/bookings/{uid}/decline` (`DeclineBookingInput_2024_08_13`). */
export interface DeclineBookingInput {
  reason?: string;
}

/** `POST /v2/bookings/{uid}/cancel` (`CancelBookingInput_2024_08_13`, the host cancelling for everyone). */
export interface CancelBookingInput {
  cancellationReason?: string;
}

/** `POST /v2/bookings/{uid}/mark-absent` (`MarkAbsentBookingInput_2024_08_13`). */
export interface MarkAbsentInput {
  /** Whether the host was absent (Cal.com sends no webhook for this one). */
  host?: boolean;
  attendees?: Array<{ email: string; absent: boolean }>;
}

/**
 * `PATCH /v2/event-types/{id}` (`UpdateEventTypeInput_2024_06_14`): only the fields calsync offers to change.
 * That input has no price (a price lives in the payment app's metadata): Cal.com silently drops unknown fields,
 * so none is offered here.
 */
export interface UpdateEventTypeInput {
  title?: string;
  description?: string;
  lengthInMinutes?: number;
  hidden?: boolean;
}

/** The write calls of the Cal.com client; each answers with the resource as Cal.com holds it afterwards. */
export interface CalWrites {
  confirmBooking(uid: string, options?: CalCallOptions): Promise<CalApiBooking>;
  declineBooking(uid: string, input?: DeclineBookingInput, options?: CalCallOptions): Promise<CalApiBooking>;
  cancelBooking(uid: string, input?: CancelBookingInput, options?: CalCallOptions): Promise<CalApiBooking>;
  markAbsent(uid: string, input: MarkAbsentInput, options?: CalCallOptions): Promise<CalApiBooking>;
  updateEventType(id: number, input: UpdateEventTypeInput, options?: CalCallOptions): Promise<CalApiEventType>;
}

const bookingAnswer = successEnvelope(calApiBookingSchema);
const eventTypeAnswer = successEnvelope(calApiEventTypeSchema);

function bookingPath(uid: string, action: string): string {
  if (typeof uid !== 'string' || uid === '') throw new TypeError('uid: expected a booking uid');
  return `/bookings/${encodeURIComponent(uid)}/${action}`;
}

function optionalText(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new TypeError(`${field}: expected a string, got ${typeof value}`);
  return value;
}

/** A person waits for every write: they take the budget at interactive priority unless told otherwise. */
function interactive(call: CalCallOptions): CalCallOptions {
  return { ...call, priority: call.priority ?? 'interactive' };
}

function markAbsentBody(input: MarkAbsentInput): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.host !== undefined) {
    if (typeof input.host !== 'boolean') throw new TypeError('host: expected true or false');
    body.host = input.host;
  }
  if (input.attendees !== undefined) {
    if (!Array.isArray(input.attendees) || input.attendees.length === 0) {
      throw new TypeError('attendees: expected at least one {email, absent}');
    }
    body.attendees = input.attendees.map((attendee, i) => {
      if (typeof attendee?.email !== 'string' || !attendee.email.includes('@')) {
        throw new TypeError(`attendees[${i}].email: expected an e-mail address`);
      }
      if (typeof attendee.absent !== 'boolean') throw new TypeError(`attendees[${i}].absent: expected true or false`);
      return { email: attendee.email, absent: attendee.absent };
    });
  }
  if (Object.keys(body).length === 0) throw new TypeError('mark-absent: give host or attendees');
  return body;
}

function eventTypeBody(input: UpdateEventTypeInput): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const title = optionalText('title', input.title);
  if (title !== undefined) {
    if (title.trim() === '') throw new TypeError('title: must not be empty');
    body.title = title;
  }
  const description = optionalText('description', input.description);
  if (description !== undefined) body.description = description;
  if (input.lengthInMinutes !== undefined) {
    const length = input.lengthInMinutes;
    if (!Number.isInteger(length) || length < 1) {
      throw new TypeError(`lengthInMinutes: expected a whole number of minutes of at least 1, got ${length}`);
    }
    body.lengthInMinutes = length;
  }
  if (input.hidden !== undefined) {
    if (typeof input.hidden !== 'boolean') throw new TypeError('hidden: expected true or false');
    body.hidden = input.hidden;
  }
  if (Object.keys(body).length === 0) throw new TypeError('update: give title, description, lengthInMinutes or hidden');
  return body;
}

export function createCalWrites(transport: CalTransport): CalWrites {
  return {
    async confirmBooking(uid, call = {}) {
      const answer = await transport.send(
        'POST',
        'bookings',
        bookingPath(uid, 'confirm'),
        {},
        bookingAnswer,
        interactive(call),
      );
      return answer.data;
    },
    async declineBooking(uid, input = {}, call = {}) {
      const reason = optionalText('reason', input.reason);
      const body = reason === undefined ? {} : { reason };
      const answer = await transport.send(
        'POST',
        'bookings',
        bookingPath(uid, 'decline'),
        body,
        bookingAnswer,
        interactive(call),
      );
      return answer.data;
    },
    async cancelBooking(uid, input = {}, call = {}) {
      const cancellationReason = optionalText('cancellationReason', input.cancellationReason);
      const body = cancellationReason === undefined ? {} : { cancellationReason };
      const answer = await transport.send(
        'POST',
        'bookings',
        bookingPath(uid, 'cancel'),
        body,
        bookingAnswer,
        interactive(call),
      );
      return answer.data;
    },
    async markAbsent(uid, input, call = {}) {
      const path = bookingPath(uid, 'mark-absent');
      const answer = await transport.send(
        'POST',
        'bookings',
        path,
        markAbsentBody(input),
        bookingAnswer,
        interactive(call),
      );
      return answer.data;
    },
    async updateEventType(id, input, call = {}) {
      if (!Number.isInteger(id) || id < 1) throw new TypeError(`id: expected an event type id, got ${id}`);
      const body = eventTypeBody(input);
      const answer = await transport.send(
        'PATCH',
        'event-types',
        `/event-types/${id}`,
        body,
        eventTypeAnswer,
        interactive(call),
      );
      return answer.data;
    },
  };
}
