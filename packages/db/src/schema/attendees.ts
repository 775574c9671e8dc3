import type { InferInsertModel, InferSelectModel } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { calBookings } from './bookings.ts';

const tz = { withTimezone: true } as const;

/**
 * Every person on a booking: one row for a plain booking, one per seat holder on a seated event. Rows are never deleted
 * when someone leaves: `left_at` says when their seat was cancelled.
 */
export const calBookingAttendees = pgTable(
  'cal_booking_attendees',
  {
    id: uuid().primaryKey().defaultRandom(),
    bookingUid: text()
      .notNull()
      .references(() => calBookings.calUid, { onDelete: 'cascade' }),
    email: text().notNull(),
    name: text(),
    timeZone: text(),
    locale: text(),
    phoneNumber: text(),
    /** Cal.com's seat reference (`seatUid` in API v2, `attendeeSeatId` in webhooks) on seated events. */
    seatUid: text(),
    absent: boolean(),
    /** Order of arrival on the booking: 0 is the one who booked. */
    position: integer().notNull(),
    leftAt: timestamp(tz),
    /** Time of the newest information applied to this attendee: older information never overwrites it. */
    infoAt: timestamp(tz),
    createdAt: timestamp(tz).notNull().defaultNow(),
    updatedAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cal_booking_attendees_booking_email_idx').on(t.bookingUid, sql`lower(${t.email})`),
    index('cal_booking_attendees_email_idx').on(sql`lower(${t.email})`),
    // Insights: no-shows are found from the absent attendees, never by probing every booking.
    index('cal_booking_attendees_absent_idx').on(t.bookingUid).where(sql`${t.absent} and ${t.leftAt} is null`),
  ],
);

export type CalBookingAttendee = InferSelectModel<typeof calBookingAttendees>;
export type NewCalBookingAttendee = InferInsertModel<typeof calBookingAttendees>;
