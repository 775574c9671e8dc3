import { describe, expect, it } from 'vitest';
import { buildDelivery } from './build-delivery.ts';
import { makeBooking } from './make-booking.ts';
import { sendDelivery } from './send.ts';
import {
  buildInstantMeetingDelivery,
  buildMeetingEnvelopeDelivery,
  buildSeatCancelDelivery,
  buildSeatJoinDelivery,
  buildSeatMoveDelivery,
  buildTemplateDelivery,
} from './shape-deliveries.ts';
import type { SimAttendee } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely
type Json = Record<string, any>;

const createdAt = '2026-02-01T10:00:00.000Z';
const holder = (n: number): SimAttendee => ({
  name: `Seat Holder${n}`,
  email: `seat${n}@example.com`,
  timeZone: 'Europe/Berlin',
  locale: 'de',
  phoneNumber: null,
  absent: false,
  seatUid: `seat-uid-${n}`,
});
const seated = makeBooking({ seatsPerTimeSlot: 4, attendee: holder(1), otherAttendees: [holder(2), holder(3)] }, 9);

describe('seat deliveries (packages/features/bookings/lib/handleSeats/)', () => {
  it('a new seat (handleSeats.ts + create/createNewSeat.ts): BOOKING_CREATED, same uid and bookingId, only the new holder', () => {
    const body = buildSeatJoinDelivery(seated, holder(3), { createdAt }).body as Json;
    expect(body).toMatchObject({ triggerEvent: 'BOOKING_CREATED', createdAt });
    // handleSeats: webhookData = {...evt, uid: resultBooking.uid, bookingId: seatedBooking.id, status: "ACCEPTED"}
    expect(body.payload).toMatchObject({
      uid: seated.uid,
      bookingId: seated.id,
      status: 'ACCEPTED',
      attendeeSeatId: 'seat-uid-3',
      seatsPerTimeSlot: 4,
    });
    expect(body.payload.attendees).toEqual([
      expect.objectContaining({ email: 'seat3@example.com', language: { locale: 'de' }, firstName: 'Seat' }),
    ]);
    // Newer createNewSeat sets attendeeSeatId on a copy of evt, so the webhook may lack it.
    const newer = buildSeatJoinDelivery(seated, holder(3), { withSeatId: false }).body as Json;
    expect(newer.payload).not.toHaveProperty('attendeeSeatId');
  });

  it('a cancelled seat (cancel/cancelAttendeeSeat.ts): BOOKING_CANCELLED, payload CANCELLED, only the leaver', () => {
    const stillAccepted = { ...seated, otherAttendees: [holder(3)] };
    const delivery = buildSeatCancelDelivery(stillAccepted, holder(2), { createdAt, reason: 'Cannot make it' });
    const body = delivery.body as Json;
    expect(body.triggerEvent).toBe('BOOKING_CANCELLED');
    // cancelAttendeeSeat: evt.attendees = [the deleted attendee]; sendPayload(…, {...evt, status: "CANCELLED"})
    expect(body.payload).toMatchObject({
      uid: seated.uid,
      bookingId: seated.id,
      status: 'CANCELLED',
      cancellationReason: 'Cannot make it',
    });
    expect(body.payload).not.toHaveProperty('cancelledBy');
    const noReason = buildSeatCancelDelivery(stillAccepted, holder(2)).body as Json;
    expect(noReason.payload.cancellationReason).toBe('');
    expect(body.payload.attendees.map((a: Json) => a.email)).toEqual(['seat2@example.com']);
    // The booking itself stays accepted for the remaining seat holders.
    expect(delivery.booking?.status).toBe('accepted');
  });

  it('a moved seat (reschedule/attendee/attendeeRescheduleSeatedBooking.ts): BOOKING_RESCHEDULED, rescheduleUid stays live', () => {
    const target = makeBooking({ seatsPerTimeSlot: 4, attendee: holder(2), start: '2026-03-02T09:00:00.000Z' }, 10);
    const body = buildSeatMoveDelivery(target, seated, holder(2), { createdAt }).body as Json;
    expect(body.triggerEvent).toBe('BOOKING_RESCHEDULED');
    expect(body.payload).toMatchObject({
      uid: target.uid,
      bookingId: target.id,
      rescheduleUid: seated.uid,
      rescheduleId: seated.id,
      attendeeSeatId: 'seat-uid-2',
      status: 'ACCEPTED',
    });
    expect(Date.parse(body.payload.rescheduleStartTime)).toBe(Date.parse(seated.start));
    expect(body.payload.attendees.map((a: Json) => a.email)).toEqual(['seat2@example.com']);
  });
});

describe('recurring occurrences (packages/features/bookings/lib/service/RecurringBookingService.ts)', () => {
  it('each occurrence is its own BOOKING_CREATED with its own uid and bookingId and the series recurringEvent', () => {
    const recurringEvent = { freq: 2, count: 3, interval: 1 };
    const occurrences = [1, 2, 3].map((n) => makeBooking({ recurringBookingUid: 'series-1', recurringEvent }, n));
    const payloads = occurrences.map((b) => (buildDelivery('BOOKING_CREATED', b).body as Json).payload);
    expect(new Set(payloads.map((p) => p.uid)).size).toBe(3);
    expect(payloads.map((p) => p.bookingId)).toEqual([1, 2, 3]);
    for (const payload of payloads) expect(payload.recurringEvent).toEqual(recurringEvent);
  });
});

describe('INSTANT_MEETING (packages/features/instant-meeting/handleInstantMeeting.ts, InstantBookingCreateService)', () => {
  it('sends the service’s webhookData inside the generic envelope, not a booking payload', () => {
    const instant = makeBooking(
      { status: 'awaiting_host', hostAssigned: false, location: 'integrations:daily', meetingUrl: null },
      4,
    );
    const body = buildInstantMeetingDelivery(instant, { createdAt, token: 'a'.repeat(64) }).body as Json;
    expect(Object.keys(body)).toEqual(['triggerEvent', 'createdAt', 'payload']);
    expect(body.triggerEvent).toBe('INSTANT_MEETING');
    // webhookData = {triggerEvent, uid, responses, connectAndJoinUrl, eventTypeId, eventTypeTitle, customInputs}
    expect(Object.keys(body.payload).sort()).toEqual(
      ['connectAndJoinUrl', 'customInputs', 'eventTypeId', 'eventTypeTitle', 'responses', 'triggerEvent', 'uid'].sort(),
    );
    expect(body.payload).toMatchObject({
      triggerEvent: 'INSTANT_MEETING',
      uid: instant.uid,
      eventTypeId: instant.eventTypeId,
      connectAndJoinUrl: `https://app.cal.com/connect-and-join?token=${'a'.repeat(64)}`,
    });
    expect(body.payload.responses.email).toBe(instant.attendee.email);
    // Older sendGenericWebhookPayload sent JSON.stringify(data): the same object, no envelope.
    const flat = buildInstantMeetingDelivery(instant, { token: 'a'.repeat(64), form: 'flat' }).body as Json;
    expect(flat).toEqual(body.payload);
  });
});

describe('MEETING_* envelope (packages/features/webhooks/lib/factory/versioned/v2021-10-20/MeetingPayloadBuilder.ts)', () => {
  it('wraps the same booking row as the legacy flat body in {triggerEvent, createdAt, payload}', () => {
    const booking = makeBooking({ recurringBookingUid: 'series-9' }, 5);
    for (const trigger of ['MEETING_STARTED', 'MEETING_ENDED'] as const) {
      const body = buildMeetingEnvelopeDelivery(trigger, booking, { createdAt }).body as Json;
      const flat = buildDelivery(trigger, booking).body as Json;
      expect(Object.keys(body)).toEqual(['triggerEvent', 'createdAt', 'payload']);
      const { triggerEvent: _trigger, ...row } = flat;
      expect(body).toEqual({ triggerEvent: trigger, createdAt, payload: row });
      expect(body.payload).toMatchObject({ uid: booking.uid, id: booking.id, recurringEventId: 'series-9' });
    }
  });

  it('renders a booking with no host (an instant meeting) with userId and user null', () => {
    const body = buildMeetingEnvelopeDelivery('MEETING_STARTED', makeBooking({ hostAssigned: false }, 6)).body as Json;
    expect(body.payload).toMatchObject({ userId: null, user: null });
  });
});

describe('custom payload templates (packages/features/webhooks/lib/sendPayload.ts)', () => {
  it('sends any JSON the template made, unchanged', () => {
    const delivery = buildTemplateDelivery('BOOKING_CREATED', { text: 'Booked: Intro', n: [1, 2] }, { createdAt });
    expect(delivery.rawBody).toBe('{"text":"Booked: Intro","n":[1,2]}');
    expect(delivery.body).toEqual({ text: 'Booked: Intro', n: [1, 2] });
    expect(delivery.contentType).toBeUndefined();
    expect(buildTemplateDelivery('PING', '[1,2]').body).toEqual([1, 2]);
  });

  it('sends a non-JSON body as is, signed, labelled form-encoded', async () => {
    const { createServer } = await import('node:http');
    const { createHmac } = await import('node:crypto');
    const received: Array<{ raw: string; headers: Json }> = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      req.on('end', () => {
        received.push({ raw, headers: req.headers });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const delivery = buildTemplateDelivery('BOOKING_CREATED', 'booking=abc&who=Ada Lovelace');
    expect(delivery.body).toBe('booking=abc&who=Ada Lovelace');
    await sendDelivery(`http://127.0.0.1:${port}/hook`, delivery, 'whsec');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(received[0]!.raw).toBe('booking=abc&who=Ada Lovelace');
    expect(received[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(received[0]!.headers['x-cal-signature-256']).toBe(
      createHmac('sha256', 'whsec').update('booking=abc&who=Ada Lovelace').digest('hex'),
    );
  });

  it('refuses a body that has no JSON form, naming it', () => {
    expect(() => buildTemplateDelivery('X', undefined)).toThrow(/body must be a string or a JSON value/);
  });
});
