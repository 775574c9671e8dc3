import { V2BadRequest } from './v2-errors.ts';

export type Query = Record<string, string | string[] | undefined>;

// ISO 8601 as class-validator's IsISO8601 accepts it: a date, optionally a time with seconds, fraction, offset.
const isoPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The single value of a query parameter (a repeated parameter is a 400, as Nest's validation makes it). */
export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new V2BadRequest(`${name} must be given once`);
  return value === '' ? undefined : value;
}

/** A strict ISO 8601 instant, in epoch ms; a date alone means its start (UTC) unless `endOfDay`. */
export function isoParam(query: Query, name: string, endOfDay = false): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const ms = isoPattern.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new V2BadRequest(`${name} must be a valid ISO 8601 date string`);
  return endOfDay && value.length === 10 ? ms + 86_399_999 : ms;
}

/** An integer within [min, max], or `fallback` when absent. */
export function intParam(query: Query, name: string, fallback: number, min: number, max: number): number {
  const value = single(query, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new V2BadRequest(`${name} must be an integer number`);
  const number = Number(value);
  if (number < min) throw new V2BadRequest(`${name} must not be less than ${min}`);
  if (number > max) throw new V2BadRequest(`${name} must not be greater than ${max}`);
  return number;
}

/** `asc` or `desc`. */
export function sortParam(query: Query, name: string): 'asc' | 'desc' | undefined {
  const value = single(query, name);
  if (value === undefined || value === 'asc' || value === 'desc') return value;
  throw new V2BadRequest(`${name} must be one of the following values: asc, desc`);
}

/** A comma-separated list, each item checked by `allowed` (when given). */
export function listParam(query: Query, name: string, allowed?: readonly string[]): string[] | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const bad = allowed ? items.find((item) => !allowed.includes(item)) : undefined;
  if (bad !== undefined) throw new V2BadRequest(`${name} must be one of the following values: ${allowed!.join(', ')}`);
  return items;
}

/** A comma-separated list of positive integers. */
export function idListParam(query: Query, name: string): number[] | undefined {
  const items = listParam(query, name);
  if (!items) return undefined;
  if (items.some((item) => !/^\d+$/.test(item))) throw new V2BadRequest(`${name} must be a list of integer ids`);
  return items.map(Number);
}
