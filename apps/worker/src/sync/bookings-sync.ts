import type { CalBookingsPage, ListBookingsFilters } from '@calsync/cal-client';
import { type CalSyncRun, transaction } from '@calsync/db';
import { invalidateAvailability } from '@calsync/jobs';
import { writeAttendees } from '../bookings/attendees.ts';
import { lockBookings } from '../bookings/lock-bookings.ts';
import { type UpsertOutcome, upsertBookings } from '../bookings/upsert-bookings.ts';
import { type ApiBookingWrite, apiBookingToWrite } from './api-booking-to-state.ts';
import { recordSkippedItems, type SkippedItem } from './skipped-items.ts';
import type { CalSyncClient, SyncContext } from './sync-context.ts';
import { lastWatermark, recordProgress } from './sync-runs.ts';

/** Cal.com's maximum page size: the fewest requests. */
export const PAGE_SIZE = 250;
/** The incremental sync re-reads this much before the last watermark: clocks and commits are not instantaneous. */
export const WATERMARK_OVERLAP_MS = 60_000;

/** Where a bookings walk resumes: the run's fixed query, the next page's offset, or `done` after the last page. */
interface BookingsCheckpoint {
  query: ListBookingsFilters;
  skip: number;
  done?: boolean;
}

export interface WalkTotals {
  pages: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

function readCheckpoint(run: CalSyncRun): BookingsCheckpoint | undefined {
  const checkpoint = run.checkpoint;
  if (!checkpoint || typeof checkpoint.skip !== 'number' || typeof checkpoint.query !== 'object') return undefined;
  return { query: checkpoint.query as ListBookingsFilters, skip: checkpoint.skip, done: checkpoint.done === true };
}

/**
 * Incremental sync: bookings updated since the last watermark (minus an overlap), oldest change first. Pages are
 * keyed by updatedAt (the next page starts at the last one's newest updatedAt), not by offset: a booking updated
 * during the walk moves to the end, and with offsets that would shift an unread booking onto a read page.
 */
export async function runBookingsSync(ctx: SyncContext, client: CalSyncClient, run: CalSyncRun): Promise<WalkTotals> {
  const resumed = readCheckpoint(run);
  if (resumed) return await walkBookingPages(ctx, client, run, resumed, afterNewestUpdate, { settle: false });
  const watermark = await lastWatermark(ctx.db, 'bookings_sync');
  const query: ListBookingsFilters = { sortUpdatedAt: 'asc' };
  if (watermark) query.afterUpdatedAt = new Date(watermark.getTime() - WATERMARK_OVERLAP_MS).toISOString();
  return await walkBookingPages(ctx, client, run, { query, skip: 0 }, afterNewestUpdate, { settle: false });
}

/**
 * Reconciliation: every booking upstream, oldest created first (creation order never changes, so offsets stay valid
 * while bookings are updated during the walk). Rows created or updated are corrections: webhooks were lost, late or
 * wrong. A booking settled upstream (unchanged for SETTLE_WINDOW_MS) is made equal to the API's answer.
 */
export async function runReconcile(ctx: SyncContext, client: CalSyncClient, run: CalSyncRun): Promise<WalkTotals> {
  const position = readCheckpoint(run) ?? { query: { sortCreated: 'asc' }, skip: 0 };
  const totals = await walkBookingPages(ctx, client, run, position, byOffset, { settle: true });
  if (totals.created + totals.updated > 0) {
    ctx.logger.warn(
      { runId: run.id, created: totals.created, updated: totals.updated },
      'reconciliation corrected bookings: webhooks were lost or late',
    );
  }
  return totals;
}

/** Where the page after `page` starts. */
type Advance = (position: BookingsCheckpoint, page: CalBookingsPage) => BookingsCheckpoint;

const byOffset: Advance = (position, page) => ({
  query: position.query,
  skip: page.skip + page.bookings.length + page.rejected.length,
});

/**
 * From the page's newest updatedAt on, skipping the bookings already read with exactly that updatedAt
 * (Cal.com's afterUpdatedAt is inclusive: API v2 passes it on as `afterUpdatedDate`, filtered `updatedAt >=`).
 */
const afterNewestUpdate: Advance = (position, page) => {
  const times = page.bookings.map((booking) => Date.parse(booking.updatedAt ?? booking.createdAt));
  const newest = times.at(-1);
  const from = position.query.afterUpdatedAt ? Date.parse(String(position.query.afterUpdatedAt)) : undefined;
  // A page that is one run of equal updatedAt (or a booking with no time at all) keeps the cursor and moves on.
  if (newest === undefined || Number.isNaN(newest) || newest === from) return byOffset(position, page);
  const ties = times.filter((time) => time === newest).length;
  return { query: { ...position.query, afterUpdatedAt: new Date(newest).toISOString() }, skip: ties };
};

/**
 * Reads pages from `position` on. After every page, one transaction applies it through the merge rule and moves the
 * run's counters and checkpoint, so a killed worker resumes at the first page not yet committed.
 */
async function walkBookingPages(
  ctx: SyncContext,
  client: CalSyncClient,
  run: CalSyncRun,
  start: BookingsCheckpoint,
  advance: Advance,
  options: { settle: boolean },
): Promise<WalkTotals> {
  const totals: WalkTotals = { pages: 0, created: 0, updated: 0, unchanged: 0, skipped: 0 };
  // A page is turned into writes as soon as it arrives, while the page before it is still being written.
  const fetchPage = async (at: BookingsCheckpoint) => {
    const page = await firstPage(
      client.listBookings(
        { ...at.query, take: PAGE_SIZE, skip: at.skip },
        { priority: 'background', signal: ctx.signal },
      ),
    );
    return { page, ...toWrites(page, new Date(), options) };
  };
  let position = start;
  let nextPage = fetchPage(position);
  while (!position.done) {
    const { page, writes, skipped } = await nextPage;
    const next: BookingsCheckpoint =
      page.nextSkip === null ? { ...byOffset(position, page), done: true } : advance(position, page);
    if (!next.done) {
      // The next page is asked for while this one is written: the budget paces the requests, and the writes no longer
      // add to that pace. A failure of it surfaces when the loop awaits it, after this page is committed.
      nextPage = fetchPage(next);
      nextPage.catch(() => {});
    }
    const watermark = page.bookings.reduce<Date | null>((max, booking) => {
      const changedAt = new Date(booking.updatedAt ?? booking.createdAt);
      return !max || changedAt > max ? changedAt : max;
    }, null);
    const { outcomes, counts } = await transaction(ctx.db, async (tx) => {
      await lockBookings(
        tx,
        writes.map((w) => w.upsert.state.calUid),
      );
      const outcomes = await upsertBookings(
        tx,
        writes.map((w) => w.upsert),
      );
      await writeAttendees(
        tx,
        writes.map((w) => w.attendees),
      );
      await recordSkippedItems(tx, run.id, skipped);
      const counts = countOutcomes(outcomes);
      const progress = { requests: ctx.takeRequestCount(), pages: 1, ...counts, skipped: skipped.length };
      await recordProgress(tx, run.id, progress, { checkpoint: { ...next }, watermark });
      return { outcomes, counts };
    });
    if (skipped.length > 0) {
      ctx.logger.warn({ runId: run.id, skipped: skipped.length }, 'sync skipped bookings it could not take');
    }
    totals.pages += 1;
    totals.created += counts.created;
    totals.updated += counts.updated;
    totals.unchanged += counts.unchanged;
    totals.skipped += skipped.length;
    const changed = writes.filter((_, i) => outcomes[i] === 'created' || outcomes[i] === 'updated');
    await invalidateAvailability(
      ctx.redis,
      ctx.redisPrefix,
      changed.map((w) => w.upsert.state.eventTypeId),
    );
    position = next;
    if (!position.done) ctx.signal.throwIfAborted();
  }
  return totals;
}

/** The page's bookings as writes; items the schema refused or the mapping cannot take are skipped with the reason. */
function toWrites(page: CalBookingsPage, fetchedAt: Date, options: { settle: boolean }) {
  const skipped: SkippedItem[] = page.rejected.map((item) => ({ key: item.uid, raw: item.raw, reason: item.reason }));
  const writes: ApiBookingWrite[] = [];
  for (const booking of page.bookings) {
    try {
      writes.push(apiBookingToWrite(booking, fetchedAt, options));
    } catch (error) {
      skipped.push({ key: booking.uid, raw: booking, reason: `booking ${booking.uid}: ${(error as Error).message}` });
    }
  }
  return { writes, skipped };
}

/** One request: the first page of a listing (leaving the loop early stops the generator before its next request). */
async function firstPage(pages: AsyncIterable<CalBookingsPage>): Promise<CalBookingsPage> {
  for await (const page of pages) return page;
  throw new Error('Cal.com bookings listing yielded no page');
}

function countOutcomes(outcomes: ReadonlyArray<UpsertOutcome>) {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const outcome of outcomes) {
    if (outcome === 'created') counts.created += 1;
    else if (outcome === 'updated') counts.updated += 1;
    else counts.unchanged += 1; // 'stale' too: what we hold is newer than the API's answer
  }
  return counts;
}
