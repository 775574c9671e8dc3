import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The six statuses a calsync booking can have. */
export const bookingStatuses = ['scheduled', 'pending', 'cancelled', 'rejected', 'rescheduled', 'completed'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

const tz = { withTimezone: true } as const;

export const calBookings = pgTable(
  'cal_bookings',
  {
    // The original design's columns, names and types unchanged.
    id: uuid().primaryKey().defaultRandom(),
    calBookingId: text().unique(),
    calUid: text().notNull().unique(),
    eventTypeId: text(),
    eventTypeSlug: text(),
    title: text(),
    startTime: timestamp(tz),
    endTime: timestamp(tz),
    attendeeName: text(),
    attendeeEmail: text(),
    attendeeTimezone: text(),
    status: text().$type<BookingStatus>().notNull().default('scheduled'),
    meetingUrl: text(),
    location: text(),
    /** The whole Cal.com booking object as last applied. */
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp(tz).notNull().defaultNow(),
    updatedAt: timestamp(tz).notNull().defaultNow(),

    // calsync's own columns.
    /** Time of the newest information applied (webhook createdAt, API updatedAt); older information never overwrites it. */
    sourceUpdatedAt: timestamp(tz),
    /** Where this booking's newest information came from: `webhook` or `api`. */
    source: text(),
    organizerTimezone: text(),
    rescheduledFromUid: text(),
    rescheduledToUid: text(),
    cancellationReason: text(),
    rejectionReason: text(),
    /** Payment facts from BOOKING_PAID / BOOKING_PAYMENT_INITIATED. */
    payment: jsonb().$type<Record<string, unknown>>(),
    paid: boolean().notNull().default(false),
    /** Attendee no-show flags: `[{ email, noShow }]`. */
    noShowAttendees: jsonb().$type<Array<{ email: string; noShow: boolean }>>(),
    noShowHost: boolean(),
    /** Time of the newest no-show information applied. */
    noShowUpdatedAt: timestamp(tz),
    meetingStartedAt: timestamp(tz),
    meetingEndedAt: timestamp(tz),
    /** Cal.com's own status word as last applied (`accepted`, `awaiting_host`, …): `status` is calsync's reading of it. */
    calStatus: text(),
    /** The uid shared by every occurrence of a recurring series (API `recurringBookingUid`). */
    recurringBookingUid: text(),
    /** Seats per time slot when the event type is seated; null otherwise. */
    seatsPerTimeSlot: integer(),
  },
  (t) => [
    check(
      'cal_bookings_status_check',
      sql`${t.status} in ('scheduled', 'pending', 'cancelled', 'rejected', 'rescheduled', 'completed')`,
    ),
    index('cal_bookings_start_time_id_idx').on(t.startTime, t.id),
    index('cal_bookings_status_start_time_idx').on(t.status, t.startTime),
    index('cal_bookings_attendee_email_idx').on(sql`lower(${t.attendeeEmail})`),
    index('cal_bookings_event_type_id_idx').on(t.eventTypeId, t.startTime),
    index('cal_bookings_recurring_booking_uid_idx').on(t.recurringBookingUid),
    // Insights: the few bookings whose no-shows are known only from a BOOKING_NO_SHOW_UPDATED list.
    index('cal_bookings_no_show_list_idx').on(t.startTime).where(sql`${t.noShowAttendees} is not null`),
    // Insights read a year of bookings from this index alone (the rows themselves are wide: metadata, attendees).
    // (Drizzle cannot write INCLUDE: the extra columns are key columns, which serves index-only scans as well.)
    index('cal_bookings_insights_idx').on(t.startTime, t.status, t.eventTypeId, t.createdAt, t.calUid),
  ],
);

export type CalBooking = InferSelectModel<typeof calBookings>;
export type NewCalBooking = InferInsertModel<typeof calBookings>;
