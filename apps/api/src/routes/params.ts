import { z } from 'zod';

// Parameter parsers shared by the functions. A GET query gives strings (arrays when a key repeats) and a POST body
// gives JSON values, so each parser takes `unknown` and accepts both spellings of the same value, nothing else.

const NUMBER_TEXT = /^\d{1,15}$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime = z.iso.datetime({ offset: true });

function fail(ctx: z.RefinementCtx, message: string, value?: unknown): never {
  ctx.addIssue({ code: 'custom', message: value === undefined ? `required: ${message}` : message });
  return z.NEVER as never;
}

/** A whole number within [min, max], as a number or a string of digits. */
export function wholeNumber(min: number, max: number) {
  return z
    .unknown()
    .transform((value, ctx) => {
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && NUMBER_TEXT.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max)
        return fail(ctx, `expected a whole number from ${min} to ${max}`);
      return n;
    })
    .meta({ type: 'integer', minimum: min, maximum: max });
}

/** A Cal.com numeric id (event type id), as a number or a string of digits; kept as text like the tables keep it. */
export const calId = z
  .unknown()
  .transform((value, ctx) => {
    const text = typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? String(value) : value;
    if (typeof text !== 'string' || !/^[1-9]\d{0,14}$/.test(text))
      return fail(ctx, 'expected a positive whole number', value);
    return text;
  })
  .meta({ type: 'string', pattern: '^[1-9][0-9]*$' });

/** A single string of at most `max` characters (an array, object or number is refused). */
export function text(max: number) {
  return z
    .unknown()
    .transform((value, ctx) => {
      if (typeof value !== 'string') return fail(ctx, 'expected a single string');
      if (value.length > max) return fail(ctx, `expected at most ${max} characters`);
      // PostgreSQL text cannot hold NUL, and no meaningful parameter contains one.
      if (value.includes('\u0000')) return fail(ctx, 'must not contain NUL characters');
      return value;
    })
    .meta({ type: 'string', maxLength: max });
}

/** One of `values`. */
export function oneOf<const T extends readonly string[]>(values: T) {
  return z
    .unknown()
    .transform((value, ctx) => {
      if (typeof value !== 'string' || !values.includes(value))
        return fail(ctx, `expected one of ${values.join(', ')}`);
      return value as T[number];
    })
    .meta({ type: 'string', enum: [...values] });
}

/** A date or an instant: `YYYY-MM-DD` (a calendar date that exists) or ISO 8601 with a time zone offset. */
export type DateOrInstant = { kind: 'date'; date: string } | { kind: 'instant'; iso: string; ms: number };

function isRealDate(value: string): boolean {
  const match = DATE_ONLY.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1970 && y <= 9999 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const dateOrInstant = z
  .unknown()
  .transform((value, ctx): DateOrInstant => {
    if (typeof value === 'string' && isRealDate(value)) return { kind: 'date', date: value };
    if (typeof value === 'string' && isoDateTime.safeParse(value).success) {
      const ms = Date.parse(value);
      const year = new Date(ms).getUTCFullYear();
      if (Number.isFinite(ms) && year >= 1970 && year <= 9999)
        return { kind: 'instant', iso: new Date(ms).toISOString(), ms };
    }
    return fail(ctx, 'expected a date (YYYY-MM-DD) or an ISO 8601 date-time with offset (2026-01-31T09:00:00Z)', value);
  })
  .meta({ type: 'string', description: 'YYYY-MM-DD or ISO 8601 date-time with offset' });

/** Milliseconds since the epoch of a date's UTC midnight. */
export function utcMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}
