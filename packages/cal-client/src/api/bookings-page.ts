import type { z } from 'zod';
import {
  type bookingsPageSchema,
  type CalApiBooking,
  type CalPagination,
  calApiBookingSchema,
  describeSchemaIssues,
} from './schemas.ts';

/** A listed item that is not a booking calsync can use, kept so a sync can record it instead of failing the page. */
export interface RejectedBooking {
  /** Position in the page's `data`. */
  index: number;
  /** The item's `uid` when it has a string one. */
  uid: string | null;
  /** The item exactly as Cal.com sent it. */
  raw: unknown;
  /** The first bad field and why, e.g. `data[3].start: expected string, received undefined`. */
  reason: string;
}

export interface CalBookingsPage {
  /** The items that parsed, in Cal.com's order. */
  bookings: CalApiBooking[];
  /** The items that did not. */
  rejected: RejectedBooking[];
  /** As Cal.com sent it; its totals are not trusted for paging (they may be null or an estimate). */
  pagination: CalPagination;
  /** The `skip` this page was asked with. */
  skip: number;
  /** The `skip` of the next page, or null on the last one. */
  nextSkip: number | null;
}

/**
 * Splits a page into bookings and rejected items, each item parsed on its own. The listing ends at the first page with
 * fewer than `take` items (an empty one included), whatever `hasNextPage` or `totalItems` say: Cal.com computes them
 * from a total that may be an estimate, so following them could stop early or ask for the same empty page forever.
 */
export function readBookingsPage(
  page: z.infer<typeof bookingsPageSchema>,
  skip: number,
  take: number,
): CalBookingsPage {
  const bookings: CalApiBooking[] = [];
  const rejected: RejectedBooking[] = [];
  for (const [index, raw] of page.data.entries()) {
    const result = calApiBookingSchema.safeParse(raw);
    if (result.success) {
      bookings.push(result.data);
      continue;
    }
    const uid = (raw as { uid?: unknown } | null)?.uid;
    const { reason } = describeSchemaIssues(result.error, ['data', index]);
    rejected.push({ index, uid: typeof uid === 'string' && uid !== '' ? uid : null, raw, reason });
  }
  const full = page.data.length >= take;
  return {
    bookings,
    rejected,
    pagination: page.pagination ?? {},
    skip,
    nextSkip: full ? skip + page.data.length : null,
  };
}
