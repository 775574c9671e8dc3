import type { SimStore } from '../store/sim-store.ts';
import { lowerBound, type SortField, upperBound } from '../store/sorted-index.ts';
import type { SimBooking } from '../webhooks/types.ts';
import { idListParam, intParam, isoParam, listParam, type Query, single, sortParam } from './query-params.ts';
import { V2BadRequest } from './v2-errors.ts';

const statusFilters = ['upcoming', 'recurring', 'past', 'cancelled', 'unconfirmed'] as const;
const sortParams = {
  sortUpdatedAt: 'updatedAt',
  sortStart: 'start',
  sortEnd: 'end',
  sortCreated: 'createdAt',
} as const;
const rangeParams = [
  ['afterUpdatedAt', 'updatedAt', 'min'],
  ['beforeUpdatedAt', 'updatedAt', 'max'],
  ['afterStart', 'start', 'min'],
  ['beforeEnd', 'end', 'max'],
  ['afterCreatedAt', 'createdAt', 'min'],
  ['beforeCreatedAt', 'createdAt', 'max'],
] as const;

/** What a GET /v2/bookings answers: one page and the pagination object. */
export interface BookingPage {
  rows: SimBooking[];
  pagination: {
    /** null or a wrong estimate under `pagingTotals` `null` / `estimate`, as Cal.com answers keys with team access. */
    totalItems: number | null;
    remainingItems: number | null;
    returnedItems: number;
    itemsPerPage: number;
    currentPage: number;
    totalPages: number | null;
    hasNextPage: boolean;
    hasPreviousPage: boolean;
  };
}

/**
 * GET /v2/bookings over the store. Without a sort parameter the order is start ascending (Cal.com's default
 * listing); ties always break on id so consecutive pages neither skip nor repeat a booking. Time filters are
 * inclusive (gte/lte) like Cal.com's. A range on the sort field is a binary search; other filters scan only
 * that range.
 */
export function listBookings(
  store: SimStore,
  query: Query,
  nowMs: number,
  totals: PagingTotals = { kind: 'exact' },
): BookingPage {
  const take = intParam(query, 'take', 100, 1, 250);
  const skip = intParam(query, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
  const sorts = Object.entries(sortParams).flatMap(([name, field]) => {
    const direction = sortParam(query, name);
    return direction ? [{ field, direction }] : [];
  });
  if (sorts.length > 1)
    throw new V2BadRequest('only one of sortUpdatedAt, sortStart, sortEnd, sortCreated may be given');
  const { field, direction } = sorts[0] ?? { field: 'start' as SortField, direction: 'asc' as const };

  const bounds = new Map<SortField, { min: number; max: number }>();
  for (const [name, target, side] of rangeParams) {
    const ms = isoParam(query, name, side === 'max');
    if (ms === undefined) continue;
    const bound = bounds.get(target) ?? { min: -Infinity, max: Infinity };
    bound[side] = ms;
    bounds.set(target, bound);
  }
  const tests = buildTests(query, bounds, field, nowMs);

  const sorted = store.sortedBy(field);
  const own = bounds.get(field);
  const from = own ? lowerBound(sorted, field, own.min) : 0;
  const to = own ? upperBound(sorted, field, own.max) : sorted.length;
  let matches: readonly SimBooking[];
  let total: number;
  let page: SimBooking[];
  if (tests.length === 0) {
    total = Math.max(0, to - from);
    page =
      direction === 'asc'
        ? sorted.slice(from + skip, Math.min(to, from + skip + take))
        : sorted.slice(Math.max(from, to - skip - take), Math.max(from, to - skip)).reverse();
  } else {
    matches = sorted.slice(from, to).filter((booking) => tests.every((test) => test(booking)));
    if (direction === 'desc') matches = [...matches].reverse();
    total = matches.length;
    page = matches.slice(skip, skip + take);
  }
  return { rows: page, pagination: paginate(skip, take, page.length, total, totals) };
}

type Test = (booking: SimBooking) => boolean;

function buildTests(
  query: Query,
  bounds: Map<SortField, { min: number; max: number }>,
  sortField: SortField,
  nowMs: number,
): Test[] {
  const tests: Test[] = [];
  for (const [target, { min, max }] of bounds) {
    if (target === sortField) continue;
    tests.push((b) => {
      const ms = Date.parse(b[target]);
      return ms >= min && ms <= max;
    });
  }
  const statuses = listParam(query, 'status', statusFilters);
  if (statuses) tests.push((b) => statuses.some((status) => matchesStatus(b, status, nowMs)));
  const eventTypeId = single(query, 'eventTypeId');
  const eventTypeIds = idListParam(query, 'eventTypeIds') ?? [];
  if (eventTypeId !== undefined) {
    if (!/^\d+$/.test(eventTypeId)) throw new V2BadRequest('eventTypeId must be an integer number');
    eventTypeIds.push(Number(eventTypeId));
  }
  if (eventTypeIds.length > 0) tests.push((b) => eventTypeIds.includes(b.eventTypeId));
  const email = single(query, 'attendeeEmail')?.toLowerCase();
  if (email !== undefined) tests.push((b) => b.attendee.email.toLowerCase() === email);
  const uid = single(query, 'bookingUid');
  if (uid !== undefined) tests.push((b) => b.uid === uid);
  return tests;
}

/**
 * How truthful the listing's totals are. Cal.com counts exactly for a plain key, but for keys with team access the
 * total may be null or a planner estimate, and `hasNextPage` (pagination.ts: skip + take < total) follows it.
 */
export type PagingTotals = { kind: 'exact' } | { kind: 'null' } | { kind: 'estimate'; factor: number };

function paginate(skip: number, take: number, returned: number, total: number, totals: PagingTotals) {
  const claimed =
    totals.kind === 'exact' ? total : totals.kind === 'null' ? null : Math.max(0, Math.round(total * totals.factor));
  const hasNextPage = totals.kind === 'exact' ? skip + returned < total : claimed !== null && skip + take < claimed;
  return {
    totalItems: claimed,
    remainingItems: claimed === null ? null : Math.max(0, claimed - skip - returned),
    returnedItems: returned,
    itemsPerPage: take,
    currentPage: Math.floor(skip / take) + 1,
    totalPages: claimed === null ? null : Math.ceil(claimed / take),
    hasNextPage,
    hasPreviousPage: skip > 0,
  };
}

// Cal.com's bookingListingFilters: upcoming includes pending, past excludes cancelled and rejected,
// cancelled includes rejected; recurring is the upcoming occurrences of a series.
function matchesStatus(booking: SimBooking, status: string, nowMs: number): boolean {
  const ended = Date.parse(booking.end) <= nowMs;
  const live = booking.status === 'accepted' || booking.status === 'pending' || booking.status === 'awaiting_host';
  switch (status) {
    case 'upcoming':
      return !ended && live;
    case 'past':
      return ended && live;
    case 'cancelled':
      return booking.status === 'cancelled' || booking.status === 'rejected';
    case 'recurring':
      return !ended && live && booking.recurringBookingUid !== null;
    case 'unconfirmed':
      return !ended && booking.status === 'pending';
    default:
      return false;
  }
}
