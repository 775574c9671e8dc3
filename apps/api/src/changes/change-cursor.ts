import { HttpError } from '@calsync/service-kit';

const CHANGE_ID = /^\d{1,19}$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Parses a Change id given as a cursor (`after`, `Last-Event-ID`); a bad one is a 400 naming `name`. */
export function parseChangeCursor(value: unknown, name: string): bigint {
  if (typeof value !== 'string' || !CHANGE_ID.test(value) || BigInt(value) > MAX_BIGINT) {
    throw new HttpError('invalid_request', `${name}: expected a change id (a whole number, 0 for the beginning)`, {
      details: { parameter: name },
    });
  }
  return BigInt(value);
}

/** Parses `limit` (1 to `max`, `fallback` when absent); a bad one is a 400 naming it. */
export function parseLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new HttpError('invalid_request', `limit: expected a whole number from 1 to ${max}`, {
      details: { parameter: 'limit' },
    });
  }
  return n;
}
