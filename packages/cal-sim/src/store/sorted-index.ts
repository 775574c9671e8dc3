import type { SimBooking } from '../webhooks/types.ts';

/** The booking fields the API can sort and range-filter on. */
export type SortField = 'updatedAt' | 'start' | 'end' | 'createdAt';

const keyOf = (booking: SimBooking, field: SortField) => Date.parse(booking[field]);

/** Orders by `field`, then by id so that equal times still have one stable order. */
export function compareBy(field: SortField) {
  return (a: SimBooking, b: SimBooking) => keyOf(a, field) - keyOf(b, field) || a.id - b.id;
}

/** The first index in `sorted` (ascending by `field`, id) whose time is ≥ `ms`. */
export function lowerBound(sorted: readonly SimBooking[], field: SortField, ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keyOf(sorted[mid]!, field) < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first index in `sorted` whose time is > `ms`. */
export function upperBound(sorted: readonly SimBooking[], field: SortField, ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keyOf(sorted[mid]!, field) <= ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Where `booking` sits (or would sit) in `sorted`, by binary search on (field, id). */
export function positionOf(sorted: readonly SimBooking[], field: SortField, booking: SimBooking): number {
  const compare = compareBy(field);
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(sorted[mid]!, booking) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
