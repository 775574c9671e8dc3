import { z } from 'zod';
import { type CalErrorContext, CalSchemaError } from './errors.ts';

// Every object is loose: Cal.com adds fields over time and the worker may want them (kept, not validated).
// Only the fields calsync relies on are checked; a missing or wrong-typed one fails loudly, naming its path.

const isoDateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO date-time');

/**
 * `getPagination()` in Cal.com computes every field from a total that, for keys with team access, may be null or a
 * planner's estimate: none of it is trusted for paging (a short page ends the listing), so none of it is required.
 * The items count is `itemsReturned` in Cal.com's code (`returnedItems` in older docs and the simulator).
 */
export const calPaginationSchema = z.looseObject({
  totalItems: z.number().int().nullish(),
  remainingItems: z.number().int().nullish(),
  itemsReturned: z.number().int().nullish(),
  returnedItems: z.number().int().nullish(),
  itemsPerPage: z.number().int().nullish(),
  currentPage: z.number().int().nullish(),
  totalPages: z.number().int().nullish(),
  hasNextPage: z.boolean().nullish(),
  hasPreviousPage: z.boolean().nullish(),
});

/** `getHost()` answers `id: "unknown"` (and `"unknown"` names and e-mail) when the booking has no user: instant meetings. */
const calHostSchema = z.looseObject({
  id: z.union([z.number().int(), z.string()]).nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  username: z.string().nullish(),
  timeZone: z.string().nullish(),
});

/** Seated bookings add `seatUid`, `bookingFieldsResponses` and `metadata` per attendee. */
const calAttendeeSchema = z.looseObject({
  name: z.string().nullish(),
  email: z.string(),
  timeZone: z.string().nullish(),
  language: z.string().nullish(),
  absent: z.boolean().nullish(),
  phoneNumber: z.string().nullish(),
  seatUid: z.string().nullish(),
});

/**
 * A booking as API v2 (cal-api-version 2024-08-13) returns it (`output.service.ts`). Status is lowercase and any
 * non-empty string (`awaiting_host` exists beside `accepted`, `cancelled`, …). What calsync relies on is required:
 * `id`, `uid`, `start`, `end`, `status`, `createdAt`, `attendees[].email`.
 */
export const calApiBookingSchema = z.looseObject({
  id: z.number().int(),
  uid: z.string().min(1),
  title: z.string().nullish(),
  description: z.string().nullish(),
  status: z.string().min(1),
  start: isoDateTime,
  end: isoDateTime,
  duration: z.number().nullish(),
  eventTypeId: z.number().int().nullish(),
  eventType: z.looseObject({ id: z.number().int(), slug: z.string().nullish() }).nullish(),
  location: z.string().nullish(),
  meetingUrl: z.string().nullish(),
  hosts: z.array(calHostSchema).nullish(),
  attendees: z.array(calAttendeeSchema).default([]),
  guests: z.array(z.string()).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  absentHost: z.boolean().nullish(),
  cancellationReason: z.string().nullish(),
  cancelledByEmail: z.string().nullish(),
  reschedulingReason: z.string().nullish(),
  rescheduledByEmail: z.string().nullish(),
  rescheduledFromUid: z.string().nullish(),
  rescheduledToUid: z.string().nullish(),
  recurringBookingUid: z.string().nullish(),
  icsUid: z.string().nullish(),
  rating: z.number().nullish(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime.nullish(),
});

/** An event type as API v2 (cal-api-version 2024-06-14) returns it. */
export const calApiEventTypeSchema = z.looseObject({
  id: z.number().int(),
  slug: z.string().min(1),
  title: z.string(),
  lengthInMinutes: z.number(),
  description: z.string().nullish(),
  hidden: z.boolean().optional(),
  price: z.number().nullish(),
  currency: z.string().nullish(),
  locations: z.array(z.unknown()).optional(),
  /** Set on team event types (`TeamEventTypeOutput_2024_06_14`); absent on the key owner's own. */
  teamId: z.number().int().nullish(),
  /** `roundRobin`, `collective`, `managed` on team event types (any string: Cal.com may add kinds); null otherwise. */
  schedulingType: z.string().nullish(),
});

/** Free slots by day (`YYYY-MM-DD`), as `GET /v2/slots?format=range` returns them; `{}` when nothing is free. */
export const calSlotsSchema = z.record(z.string(), z.array(z.looseObject({ start: isoDateTime, end: isoDateTime })));

/** `{"status":"error","timestamp","path","error":{"code","message"}}`. Parsed leniently: it only enriches errors. */
export const calErrorEnvelopeSchema = z.looseObject({
  status: z.literal('error'),
  error: z.looseObject({ code: z.string(), message: z.string().optional() }),
});

/** `{"status":"success","data":…}`. */
export function successEnvelope<Data extends z.ZodType>(data: Data) {
  return z.looseObject({ status: z.literal('success'), data });
}

/** The page envelope of `GET /v2/bookings`; each item is checked on its own (one odd item must not fail a page). */
export const bookingsPageSchema = z.looseObject({
  status: z.literal('success'),
  data: z.array(z.unknown()),
  pagination: calPaginationSchema.nullish(),
});

export type CalApiBooking = z.infer<typeof calApiBookingSchema>;
export type CalApiEventType = z.infer<typeof calApiEventTypeSchema>;
export type CalSlots = z.infer<typeof calSlotsSchema>;
export type CalPagination = z.infer<typeof calPaginationSchema>;

/** `['data', 3, 'start']` → `data[3].start`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out || '(root)';
}

/**
 * Parses an answer's JSON text with `schema`. Throws CalSchemaError naming the first bad field and keeping the raw
 * body (also when the body is not JSON at all).
 */
export function parseAnswer<Schema extends z.ZodType>(
  schema: Schema,
  rawBody: string,
  context: CalErrorContext,
): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    throw new CalSchemaError(`Cal.com answer is not JSON: ${(error as Error).message}`, '(root)', rawBody, {
      ...context,
      cause: error,
    });
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const { path, reason } = describeSchemaIssues(result.error);
  throw new CalSchemaError(
    `unexpected Cal.com answer to ${context.endpoint ?? 'a request'}: ${reason}`,
    path,
    rawBody,
    {
      ...context,
      cause: result.error,
    },
  );
}

/**
 * The first issue's field path (under `prefix`, e.g. `['data', 3]`) and a one-line reason naming it:
 * `data[3].start: expected string, received undefined (and 1 more)`.
 */
export function describeSchemaIssues(
  error: z.ZodError,
  prefix: ReadonlyArray<PropertyKey> = [],
): { path: string; reason: string } {
  const issues = error.issues.map(
    (issue) => `${formatFieldPath([...prefix, ...issue.path])}: ${issue.message.replace(/^Invalid input: /, '')}`,
  );
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return { path: formatFieldPath([...prefix, ...(error.issues[0]?.path ?? [])]), reason: `${issues[0]}${more}` };
}
