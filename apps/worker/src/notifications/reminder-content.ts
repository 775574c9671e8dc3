import { calBookingAttendees, calBookings, calEventTypes, type Database, queryRow } from '@calsync/db';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { buildIcs } from './ics.ts';
import type { RenderedMail, TemplateStore } from './templates.ts';

/** Cal.com's own booking pages (the links its e-mails carry). */
export const CAL_WEBAPP_URL = 'https://app.cal.com';

export interface ReminderFacts {
  uid: string;
  title: string | null;
  eventTypeTitle: string | null;
  start: Date;
  end: Date;
  meetingUrl: string | null;
  location: string | null;
  recurring: boolean;
  organizerTimezone: string | null;
  attendeeName: string | null;
  attendeeEmail: string;
  attendeeTimezone: string | null;
  attendeeLocale: string | null;
  seatUid: string | null;
}

const b = alias(calBookings, 'b');
const e = alias(calEventTypes, 'e');
const a = alias(calBookingAttendees, 'a');

/** The booking, its event type and the one attendee a reminder goes to; undefined when the booking is gone. */
export async function loadReminderFacts(db: Database, uid: string, email: string): Promise<ReminderFacts | undefined> {
  const row = await queryRow<Record<string, string | null>>(
    db,
    sql`
    select ${b.calUid}, ${b.title}, ${e.title} as event_type_title, ${b.startTime}, ${b.endTime}, ${b.meetingUrl},
           ${b.location}, ${b.recurringBookingUid}, ${b.organizerTimezone}, ${b.attendeeName}, ${b.attendeeTimezone},
           ${a.name}, ${a.timeZone}, ${a.locale}, ${a.seatUid}
    from ${calBookings} ${b}
    left join ${calEventTypes} ${e} on ${e.calEventTypeId} = ${b.eventTypeId}
    left join ${calBookingAttendees} ${a} on ${a.bookingUid} = ${b.calUid} and lower(${a.email}) = lower(${email})
    where ${b.calUid} = ${uid}`,
  );
  if (!row?.start_time || !row.end_time) return undefined;
  return {
    uid,
    title: row.title ?? null,
    eventTypeTitle: row.event_type_title ?? null,
    start: new Date(row.start_time),
    end: new Date(row.end_time),
    meetingUrl: row.meeting_url ?? null,
    location: row.location ?? null,
    recurring: row.recurring_booking_uid != null,
    organizerTimezone: row.organizer_timezone ?? null,
    attendeeName: row.name ?? row.attendee_name ?? null,
    attendeeEmail: email,
    attendeeTimezone: row.time_zone ?? row.attendee_timezone ?? null,
    attendeeLocale: row.locale ?? null,
    seatUid: row.seat_uid ?? null,
  };
}

/** Cal.com's cancel link (CalEventParser `getCancelLink`): the seat's reference on a seated booking. */
export function cancelLink(facts: ReminderFacts): string {
  const url = new URL(`${CAL_WEBAPP_URL}/booking/${encodeURIComponent(facts.uid)}`);
  url.searchParams.append('cancel', 'true');
  url.searchParams.append('allRemainingBookings', String(facts.recurring));
  url.searchParams.append('cancelledBy', facts.attendeeEmail);
  if (facts.seatUid) url.searchParams.append('seatReferenceUid', facts.seatUid);
  return url.toString();
}

/** Cal.com's reschedule link (CalEventParser `getRescheduleLink`): a seat holder reschedules their seat. */
export function rescheduleLink(facts: ReminderFacts): string {
  const url = new URL(`${CAL_WEBAPP_URL}/reschedule/${encodeURIComponent(facts.seatUid ?? facts.uid)}`);
  url.searchParams.append('rescheduledBy', facts.attendeeEmail);
  return url.toString();
}

function validZone(zone: string | null): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

function validLocale(locale: string | null): string {
  try {
    return locale ? (Intl.getCanonicalLocales(locale.replace('_', '-'))[0] ?? 'en') : 'en';
  } catch {
    return 'en';
  }
}

/** A meeting link only when it is one: Cal.com's location may be an address, a phone number or `integrations:*`. */
function meetingLink(facts: ReminderFacts): string {
  for (const candidate of [facts.meetingUrl, facts.location]) {
    if (candidate && /^https?:\/\//i.test(candidate)) return candidate;
  }
  return '';
}

/** Subject, bodies and the `.ics`, in the attendee's time zone and language where Cal.com gave them. */
export async function renderReminder(templates: TemplateStore, facts: ReminderFacts) {
  const timeZone = validZone(facts.attendeeTimezone) ?? validZone(facts.organizerTimezone) ?? 'UTC';
  const locale = validLocale(facts.attendeeLocale);
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { timeZone, ...options }).format(facts.start);
  const eventTitle = facts.eventTypeTitle ?? facts.title ?? 'your booking';
  const link = meetingLink(facts);
  const values = {
    name: facts.attendeeName ?? '',
    event_title: eventTitle,
    booking_title: facts.title ?? eventTitle,
    date: format({ dateStyle: 'full' }),
    time: format({ timeStyle: 'short' }),
    end_time: new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' }).format(facts.end),
    time_zone: timeZone,
    meeting_link: link,
    location: link ? '' : (facts.location ?? ''),
    reschedule_link: rescheduleLink(facts),
    cancel_link: cancelLink(facts),
  };
  const language = locale.split('-')[0]?.toLowerCase();
  const mail: RenderedMail = await templates.render('reminder', values, language);
  const ics = buildIcs({
    uid: facts.uid,
    start: facts.start,
    end: facts.end,
    summary: facts.title ?? eventTitle,
    description: `${eventTitle}\n${link}\n\n${values.reschedule_link}\n${values.cancel_link}`.trim(),
    location: link || facts.location || undefined,
    url: link || undefined,
    sequence: 0,
  });
  return { ...mail, ics };
}
