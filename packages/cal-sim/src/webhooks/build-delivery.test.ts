import { describe, expect, it } from 'vitest';
import { buildDelivery, knownTriggers } from './build-delivery.ts';
import { makeBooking } from './make-booking.ts';

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely
type Json = Record<string, any>;

const booking = makeBooking({}, 7);
const payloadOf = (trigger: string, extra?: Record<string, unknown>) =>
  (buildDelivery(trigger, booking, { createdAt: '2026-02-01T10:00:00Z', ...(extra ? { extra } : {}) }).body as Json)
    .payload as Json;

describe('buildDelivery', () => {
  it('wraps booking triggers in the {triggerEvent, createdAt, payload} envelope with every 2021-10-20 field', () => {
    const delivery = buildDelivery('BOOKING_CREATED', booking, { createdAt: '2026-02-01T10:00:00Z' });
    const body = delivery.body as Json;
    expect(Object.keys(body)).toEqual(['triggerEvent', 'createdAt', 'payload']);
    expect(body.triggerEvent).toBe('BOOKING_CREATED');
    expect(body.createdAt).toBe('2026-02-01T10:00:00.000Z');
    const p = body.payload as Json;
    for (const field of ['uid', 'bookingId', 'eventTypeId', 'type', 'title', 'eventTitle', 'description']) {
      expect(p).toHaveProperty(field);
    }
    for (const field of ['additionalNotes', 'startTime', 'endTime', 'location', 'status', 'metadata', 'responses']) {
      expect(p).toHaveProperty(field);
    }
    for (const field of ['organizer', 'attendees', 'price', 'currency', 'length', 'requiresConfirmation']) {
      expect(p).toHaveProperty(field);
    }
    expect(p.uid).toBe(booking.uid);
    expect(p.bookingId).toBe(booking.id);
    expect(p.type).toBe(booking.eventTypeSlug);
    expect(p.eventTitle).toBe(booking.eventTypeTitle);
    expect(p.status).toBe('ACCEPTED');
    expect(p.organizer.language).toEqual({ locale: 'en' });
    expect(p.organizer).toMatchObject({ id: 1, username: 'sim-organizer', timeFormat: 'h:mma' });
    expect(typeof p.organizer.utcOffset).toBe('number');
    expect(p.attendees[0].language).toEqual({ locale: booking.attendee.locale });
    expect(p.attendees[0]).toMatchObject({ email: booking.attendee.email, timeZone: booking.attendee.timeZone });
    expect(p.responses.email).toEqual({ label: 'email_address', value: booking.attendee.email });
    expect(p.length).toBe((Date.parse(booking.end) - Date.parse(booking.start)) / 60_000);
    expect(delivery.rawBody).toBe(JSON.stringify(body));
  });

  it('puts the meeting URL in metadata.videoCallUrl and videoCallData for video bookings', () => {
    const video = makeBooking({ location: 'integrations:daily', meetingUrl: 'https://app.cal.com/video/x' }, 3);
    const p = (buildDelivery('BOOKING_CREATED', video).body as Json).payload;
    expect(p.metadata).toEqual({ videoCallUrl: 'https://app.cal.com/video/x' });
    expect(p.videoCallData.url).toBe('https://app.cal.com/video/x');
    const inPerson = makeBooking({ location: 'Calcom HQ', meetingUrl: null }, 3);
    expect((buildDelivery('BOOKING_CREATED', inPerson).body as Json).payload.metadata).toEqual({});
  });

  it('uses uppercase statuses and trigger extras', () => {
    expect(payloadOf('BOOKING_REQUESTED')).toMatchObject({ status: 'PENDING', requiresConfirmation: true });
    expect(payloadOf('BOOKING_CANCELLED')).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: expect.any(String),
      cancelledBy: booking.attendee.email,
      requestReschedule: false,
    });
    expect(payloadOf('BOOKING_REJECTED')).toMatchObject({ status: 'REJECTED', rejectionReason: expect.any(String) });
    expect(payloadOf('BOOKING_PAID')).toMatchObject({ status: 'ACCEPTED', paymentId: expect.any(Number) });
    expect(payloadOf('BOOKING_PAID').paymentData).toMatchObject({ amount: booking.price, success: true });
  });

  it('carries the OLD uid in rescheduleUid and the new uid in uid', () => {
    const old = makeBooking({}, 1);
    const fresh = makeBooking({ rescheduledFromUid: old.uid, start: '2026-03-01T09:00:00.000Z' }, 2);
    const p = (buildDelivery('BOOKING_RESCHEDULED', fresh, { previous: old }).body as Json).payload;
    expect(p.uid).toBe(fresh.uid);
    expect(p.rescheduleUid).toBe(old.uid);
    expect(p.rescheduleId).toBe(old.id);
    expect(Date.parse(p.rescheduleStartTime)).toBe(Date.parse(old.start));
    expect(Date.parse(p.rescheduleEndTime)).toBe(Date.parse(old.end));
    expect(p.rescheduledBy).toBe(fresh.attendee.email);
    expect(p.status).toBe('ACCEPTED');
    expect(() => buildDelivery('BOOKING_RESCHEDULED', makeBooking({}, 5))).toThrow(/rescheduledFromUid/);
  });

  it('sends BOOKING_NO_SHOW_UPDATED as {message, bookingUid, bookingId, attendees} without uid', () => {
    const p = payloadOf('BOOKING_NO_SHOW_UPDATED');
    expect(Object.keys(p).sort()).toEqual(['attendees', 'bookingId', 'bookingUid', 'message']);
    expect(p.attendees).toEqual([{ email: booking.attendee.email, noShow: true }]);
    expect(p.bookingUid).toBe(booking.uid);
  });

  it('sends MEETING_STARTED and MEETING_ENDED as a flat booking row', () => {
    for (const trigger of ['MEETING_STARTED', 'MEETING_ENDED']) {
      const body = buildDelivery(trigger, booking).body as Json;
      expect(body).not.toHaveProperty('payload');
      expect(body).toMatchObject({ triggerEvent: trigger, id: booking.id, uid: booking.uid, status: 'ACCEPTED' });
      for (const field of ['eventTypeId', 'title', 'startTime', 'endTime', 'createdAt', 'updatedAt', 'user']) {
        expect(body).toHaveProperty(field);
      }
      expect(body).toHaveProperty('rescheduled', false);
      expect(body).toHaveProperty('fromReschedule', null);
      expect(body.attendees).toEqual([
        {
          email: booking.attendee.email,
          name: booking.attendee.name,
          timeZone: booking.attendee.timeZone,
          noShow: false,
        },
      ]);
    }
  });

  it('sends PING with a test payload and no uid, bookingId or status', () => {
    const delivery = buildDelivery('PING', booking);
    const p = (delivery.body as Json).payload;
    expect(p).toMatchObject({ type: 'Test', title: 'Test trigger event', attendees: [] });
    expect(p).toHaveProperty('startTime');
    expect(p).toHaveProperty('organizer');
    for (const absent of ['uid', 'bookingId', 'status']) expect(p).not.toHaveProperty(absent);
    expect(delivery.uid).toBeNull();
  });

  it('copies FORM_SUBMITTED answers to the body root', () => {
    const body = buildDelivery('FORM_SUBMITTED', booking).body as Json;
    expect(body.payload.responses.Email.value).toBe(booking.attendee.email);
    expect(body.Email).toBe(booking.attendee.email);
    expect(body.Name).toBe(booking.attendee.name);
  });

  it('builds every known trigger and unknown ones as an envelope with a booking payload', () => {
    const moved = { ...booking, rescheduledFromUid: 'oldUid' };
    for (const trigger of knownTriggers) expect(() => JSON.parse(buildDelivery(trigger, moved).rawBody)).not.toThrow();
    const body = buildDelivery('SOMETHING_NEW_2027', booking, { extra: { novel: 1 } }).body as Json;
    expect(body).toMatchObject({ triggerEvent: 'SOMETHING_NEW_2027', payload: { uid: booking.uid, novel: 1 } });
  });

  it('writes times in the formats Cal.com uses: Z, +00:00, with and without millis', () => {
    const formats = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const start = (buildDelivery('BOOKING_CREATED', makeBooking({}, seed)).body as Json).payload.startTime as string;
      formats.add(start.replace(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, ''));
      expect(Date.parse(start)).toBe(Date.parse(makeBooking({}, seed).start));
    }
    expect([...formats].sort()).toEqual(['+00:00', '.000+00:00', '.000Z', 'Z']);
  });

  it('makes the same booking from the same seed and different ones from different seeds', () => {
    expect(makeBooking({}, 11)).toEqual(makeBooking({}, 11));
    expect(makeBooking({}, 11).uid).not.toBe(makeBooking({}, 12).uid);
    expect(makeBooking({}, 11).uid).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(makeBooking({ title: 'Mine' }, 11).title).toBe('Mine');
  });
});
