import { z } from 'zod';
import { type CalBookingsPage, readBookingsPage } from './bookings-page.ts';
import {
  bookingsPageSchema,
  type CalApiBooking,
  type CalApiEventType,
  type CalSlots,
  calApiBookingSchema,
  calApiEventTypeSchema,
  calSlotsSchema,
  successEnvelope,
} from './schemas.ts';
import {
  type CalApiTeam,
  type CalApiTeamEventType,
  calApiTeamEventTypeSchema,
  calApiTeamSchema,
} from './team-schemas.ts';
import { type CalCallOptions, type CalClientOptions, createCalTransport } from './transport.ts';
import { type CalWrites, createCalWrites } from './writes.ts';

type SortOrder = 'asc' | 'desc';
/** Cal.com's booking status filter values (not the bookings' own status). */
export type CalBookingStatusFilter = 'upcoming' | 'recurring' | 'past' | 'cancelled' | 'unconfirmed';
type Instant = Date | string;

export interface ListBookingsFilters {
  /** Page size, 1–250 (default 250). */
  take?: number;
  /** Where to start, so a sync can resume at a checkpoint (default 0). */
  skip?: number;
  afterUpdatedAt?: Instant;
  beforeUpdatedAt?: Instant;
  afterStart?: Instant;
  beforeEnd?: Instant;
  afterCreatedAt?: Instant;
  beforeCreatedAt?: Instant;
  /** When no sort is given, `sortUpdatedAt: 'asc'`. */
  sortUpdatedAt?: SortOrder;
  sortStart?: SortOrder;
  sortEnd?: SortOrder;
  sortCreated?: SortOrder;
  status?: CalBookingStatusFilter | CalBookingStatusFilter[];
  eventTypeId?: number;
  eventTypeIds?: number[];
  attendeeEmail?: string;
  bookingUid?: string;
}

export interface GetSlotsInput {
  eventTypeId: number;
  /** A bare date (`YYYY-MM-DD`: start of that day) or an instant. */
  start: Instant;
  /** A bare date (`YYYY-MM-DD`: end of that day) or an instant. */
  end: Instant;
  timeZone?: string;
}

/** The Cal.com API v2 calls calsync makes. Each call takes a token from the shared budget first. */
export interface CalClient extends CalWrites {
  listBookings(filters?: ListBookingsFilters, options?: CalCallOptions): AsyncGenerator<CalBookingsPage, void, void>;
  getBooking(uid: string, options?: CalCallOptions): Promise<CalApiBooking>;
  /** The key owner's own event types (team event types are not among them: see `listTeamEventTypes`). */
  listEventTypes(options?: CalCallOptions): Promise<CalApiEventType[]>;
  /** The teams the key's user belongs to. */
  listTeams(options?: CalCallOptions): Promise<CalApiTeam[]>;
  /** A team's event types: round robin, collective and managed ones live only here. */
  listTeamEventTypes(teamId: number, options?: CalCallOptions): Promise<CalApiTeamEventType[]>;
  getSlots(input: GetSlotsInput, options?: CalCallOptions): Promise<CalSlots>;
  /** Closes the client's own connection pool (not an injected dispatcher). */
  close(): Promise<void>;
}

/** Strict ISO (`toISOString()`), which Cal.com requires for its date filters. */
function isoInstant(field: string, value: Instant | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`${field}: expected a date-time, got ${JSON.stringify(value)}`);
  return date.toISOString();
}

function slotBound(field: string, value: Instant): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return isoInstant(field, value)!;
}

function wholeNumber(field: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${field}: expected a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function bookingsQuery(filters: ListBookingsFilters, skip: number, take: number) {
  const anySort = filters.sortUpdatedAt ?? filters.sortStart ?? filters.sortEnd ?? filters.sortCreated;
  return {
    take,
    skip,
    afterUpdatedAt: isoInstant('afterUpdatedAt', filters.afterUpdatedAt),
    beforeUpdatedAt: isoInstant('beforeUpdatedAt', filters.beforeUpdatedAt),
    afterStart: isoInstant('afterStart', filters.afterStart),
    beforeEnd: isoInstant('beforeEnd', filters.beforeEnd),
    afterCreatedAt: isoInstant('afterCreatedAt', filters.afterCreatedAt),
    beforeCreatedAt: isoInstant('beforeCreatedAt', filters.beforeCreatedAt),
    sortUpdatedAt: anySort ? filters.sortUpdatedAt : 'asc',
    sortStart: filters.sortStart,
    sortEnd: filters.sortEnd,
    sortCreated: filters.sortCreated,
    status: Array.isArray(filters.status) ? filters.status.join(',') : filters.status,
    eventTypeId: wholeNumber('eventTypeId', filters.eventTypeId, 1, Number.MAX_SAFE_INTEGER),
    eventTypeIds: filters.eventTypeIds?.join(','),
    attendeeEmail: filters.attendeeEmail,
    bookingUid: filters.bookingUid,
  };
}

/**
 * A Cal.com API v2 client over undici, sharing `options.budget` with every other client.
 * Create one per process and `close()` it at shutdown: it owns a connection pool unless a dispatcher is given.
 */
export function createCalClient(options: CalClientOptions): CalClient {
  const transport = createCalTransport(options);

  async function* listBookings(filters: ListBookingsFilters = {}, call: CalCallOptions = {}) {
    const take = wholeNumber('take', filters.take, 1, 250) ?? 250;
    let skip: number | null = wholeNumber('skip', filters.skip, 0, Number.MAX_SAFE_INTEGER) ?? 0;
    while (skip !== null) {
      const query = bookingsQuery(filters, skip, take);
      const page = readBookingsPage(
        await transport.get('bookings', '/bookings', query, bookingsPageSchema, call),
        skip,
        take,
      );
      yield page;
      skip = page.nextSkip;
    }
  }

  async function getBooking(uid: string, call: CalCallOptions = {}): Promise<CalApiBooking> {
    if (!uid) throw new TypeError('uid: expected a booking uid');
    const path = `/bookings/${encodeURIComponent(uid)}`;
    const answer = await transport.get('bookings', path, {}, successEnvelope(calApiBookingSchema), call);
    return answer.data;
  }

  async function listEventTypes(call: CalCallOptions = {}): Promise<CalApiEventType[]> {
    const schema = successEnvelope(z.array(calApiEventTypeSchema));
    const answer = await transport.get('event-types', '/event-types', {}, schema, call);
    return answer.data;
  }

  async function listTeams(call: CalCallOptions = {}): Promise<CalApiTeam[]> {
    const answer = await transport.get('teams', '/teams', {}, successEnvelope(z.array(calApiTeamSchema)), call);
    return answer.data;
  }

  async function listTeamEventTypes(teamId: number, call: CalCallOptions = {}): Promise<CalApiTeamEventType[]> {
    const id = wholeNumber('teamId', teamId ?? Number.NaN, 1, Number.MAX_SAFE_INTEGER);
    const schema = successEnvelope(z.array(calApiTeamEventTypeSchema));
    const answer = await transport.get('teams', `/teams/${id}/event-types`, {}, schema, call);
    return answer.data;
  }

  async function getSlots(input: GetSlotsInput, call: CalCallOptions = {}): Promise<CalSlots> {
    const query = {
      eventTypeId: wholeNumber('eventTypeId', input.eventTypeId ?? Number.NaN, 1, Number.MAX_SAFE_INTEGER),
      start: slotBound('start', input.start),
      end: slotBound('end', input.end),
      timeZone: input.timeZone,
      format: 'range',
    };
    const answer = await transport.get('slots', '/slots', query, successEnvelope(calSlotsSchema), call);
    return answer.data;
  }

  return {
    ...createCalWrites(transport),
    listBookings,
    getBooking,
    listEventTypes,
    listTeams,
    listTeamEventTypes,
    getSlots,
    close: transport.close,
  };
}
