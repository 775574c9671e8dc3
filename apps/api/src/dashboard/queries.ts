import {
  type CalBooking,
  type CalBookingAttendee,
  type CalEventType,
  type CalSyncRun,
  type CalSyncSkippedItem,
  type CalWebhookEvent,
  calBookingAttendees,
  calBookings,
  calEventTypes,
  calSyncRuns,
  calSyncSkippedItems,
  calWebhookEvents,
  type Database,
} from '@calsync/db';
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';

/** A delivery as the dashboard lists it: everything but the raw body. */
export type DeliverySummary = Omit<CalWebhookEvent, 'rawBody'>;

const deliveryColumns = {
  id: calWebhookEvents.id,
  triggerEvent: calWebhookEvents.triggerEvent,
  bookingUid: calWebhookEvents.bookingUid,
  sentAt: calWebhookEvents.sentAt,
  status: calWebhookEvents.status,
  attempts: calWebhookEvents.attempts,
  error: calWebhookEvents.error,
  receivedAt: calWebhookEvents.receivedAt,
  processedAt: calWebhookEvents.processedAt,
  updatedAt: calWebhookEvents.updatedAt,
  bodyEncoding: calWebhookEvents.bodyEncoding,
};

export async function bookingByUid(db: Database, uid: string): Promise<CalBooking | undefined> {
  const [booking] = await db.select().from(calBookings).where(eq(calBookings.calUid, uid));
  return booking;
}

/** Everyone on the booking in order of arrival: the one who booked first, then each seat holder. */
export async function bookingAttendees(db: Database, uid: string): Promise<CalBookingAttendee[]> {
  return await db
    .select()
    .from(calBookingAttendees)
    .where(eq(calBookingAttendees.bookingUid, uid))
    .orderBy(asc(calBookingAttendees.position), asc(calBookingAttendees.createdAt))
    .limit(1000);
}

/** A delivery kept in a shape calsync does not read, with (the start of) its raw body to show. */
export type UnrecognizedDelivery = DeliverySummary & { rawBody: string };

/** How much of a raw body the dashboard shows. */
const RAW_BODY_PREVIEW = 4_000;

/** Newest first: signed bodies calsync stored but could not read (custom templates, Zapier shapes, not JSON). */
export async function unrecognizedDeliveries(db: Database, limit: number): Promise<UnrecognizedDelivery[]> {
  return await db
    .select({ ...deliveryColumns, rawBody: sql<string>`left(${calWebhookEvents.rawBody}, ${RAW_BODY_PREVIEW})` })
    .from(calWebhookEvents)
    .where(eq(calWebhookEvents.status, 'unrecognized'))
    .orderBy(desc(calWebhookEvents.receivedAt))
    .limit(limit);
}

/** Newest first: items Cal.com returned that a sync could not take, with why. */
export async function skippedItems(db: Database, limit: number): Promise<CalSyncSkippedItem[]> {
  return await db.select().from(calSyncSkippedItems).orderBy(desc(calSyncSkippedItems.createdAt)).limit(limit);
}

/** Every stored delivery about this booking uid, oldest first. */
export async function bookingTimeline(db: Database, uid: string): Promise<DeliverySummary[]> {
  return await db
    .select(deliveryColumns)
    .from(calWebhookEvents)
    .where(eq(calWebhookEvents.bookingUid, uid))
    .orderBy(asc(calWebhookEvents.receivedAt), asc(calWebhookEvents.id))
    .limit(500);
}

export async function eventTypes(db: Database): Promise<CalEventType[]> {
  return await db.select().from(calEventTypes).orderBy(asc(calEventTypes.title), asc(calEventTypes.id)).limit(1000);
}

/** Newest first; `failed` walks the (status, received_at) index. */
export async function deliveries(
  db: Database,
  options: { status?: CalWebhookEvent['status']; limit: number },
): Promise<DeliverySummary[]> {
  const query = db.select(deliveryColumns).from(calWebhookEvents);
  const filtered = options.status ? query.where(eq(calWebhookEvents.status, options.status)) : query;
  return await filtered.orderBy(desc(calWebhookEvents.receivedAt)).limit(options.limit);
}

/** Queued and running runs, so a page opened mid-run shows its progress. */
export async function activeRuns(db: Database): Promise<CalSyncRun[]> {
  return await db
    .select()
    .from(calSyncRuns)
    .where(inArray(calSyncRuns.status, ['queued', 'running']))
    .orderBy(asc(calSyncRuns.queuedAt));
}

/** The latest runs of every kind, newest first. */
export async function recentRuns(db: Database, limit: number): Promise<CalSyncRun[]> {
  return await db.select().from(calSyncRuns).orderBy(desc(calSyncRuns.queuedAt)).limit(limit);
}

/** What the progress poller needs from a run, as JSON. */
export function runProgress(run: CalSyncRun) {
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    pages: run.pages,
    requests: run.requests,
    rows: { created: run.rowsCreated, updated: run.rowsUpdated, unchanged: run.rowsUnchanged },
    skipped: run.itemsSkipped,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
    done: run.status === 'succeeded' || run.status === 'failed',
  };
}
