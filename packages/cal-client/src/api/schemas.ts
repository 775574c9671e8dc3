import { z } from 'zod';
import { type CalErrorContext, CalSchemaError } from './errors.ts';

// Every object is loose: Cal.com adds fields over time and the worker may want them (kept, not validated).
// Only the fields calsync relies on are checked; a missing or wrong-typed one fails loudly, naming its path.

const isoDateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO date-time');

export const calPaginationSchema = z.looseObject({
  totalItems: z.number().int(),
  remainingItems: z.number().int().optional(),
  returnedItems: z.number().int(),
  itemsPerPage: z.number().int().optional(),
  currentPage: z.number().int().optional(),
  totalPages: z.number().int().optional(),
  hasNextPage: z.boolean(),
  hasPreviousPage: z.boolean().optional(),
});

const calPersonSchema = z.looseObject({
  name: z.string().nullish(),
  email: z.string(),
  timeZone: z.string().nullish(),
});

/** A booking as API v2 (cal-api-version 2024-08-13) returns it. Status is lowercase (`accepted`, `cancelled`, …). */
export const calApiBookingSchema = z.looseObject({
  id: z.number().int(),
  uid: z.string().min(1),
  title: z.string(),
  description: z.string().nullish(),
  status: z.string().min(1),
  start: isoDateTime,
  end: isoDateTime,
  duration: z.number().nullish(),
  eventTypeId: z.number().int().nullish(),
  eventType: z.looseObject({ id: z.number().int(), slug: z.string() }).nullish(),
  location: z.string().nullish(),
  meetingUrl: z.string().nullish(),
  hosts: z.array(calPersonSchema.extend({ id: z.number().int().optional() })).optional(),
  attendees: z.array(calPersonSchema.extend({ absent: z.boolean().nullish() })),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  cancellationReason: z.string().nullish(),
  rescheduledFromUid: z.string().nullish(),
  rescheduledToUid: z.string().nullish(),
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

export const bookingsPageSchema = z.looseObject({
  status: z.literal('success'),
  data: z.array(calApiBookingSchema),
  pagination: calPaginationSchema,
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
  const issues = result.error.issues.map(
    (issue) => `${formatFieldPath(issue.path)}: ${issue.message.replace(/^Invalid input: /, '')}`,
  );
  const first = result.error.issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new CalSchemaError(
    `unexpected Cal.com answer to ${context.endpoint ?? 'a request'}: ${issues[0]}${more}`,
    formatFieldPath(first?.path ?? []),
    rawBody,
    { ...context, cause: result.error },
  );
}
