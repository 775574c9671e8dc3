import { describe, expect, it } from 'vitest';
import { parseDelivery } from './delivery.ts';
import { peekTriggerEvent, readEnvelope } from './envelope.ts';

const payload = {
  uid: 'abc',
  bookingId: 7,
  eventTypeId: 3,
  type: '30min',
  title: 'Intro',
  startTime: '2026-02-01T10:00:00+00:00',
  endTime: '2026-02-01T10:30:00Z',
  status: 'ACCEPTED',
  attendees: [{ email: 'a@example.com', name: 'A', timeZone: 'Europe/Berlin', language: { locale: 'de' } }],
  organizer: { name: 'O', email: 'o@example.com', timeZone: 'Europe/London', language: { locale: 'en' } },
  somethingNew: { kept: true },
};
const envelope = (triggerEvent: string, p: unknown = payload) => ({
  triggerEvent,
  createdAt: '2026-01-15T12:00:00.000Z',
  payload: p,
});

describe('parseDelivery', () => {
  it('parses a booking trigger, keeping unknown fields', () => {
    const delivery = parseDelivery(envelope('BOOKING_CREATED'));
    expect(delivery).toMatchObject({
      kind: 'booking',
      trigger: 'BOOKING_CREATED',
      payload: { uid: 'abc', somethingNew: { kept: true } },
    });
  });

  it('names the path of a missing or wrong field', () => {
    expect(() => parseDelivery(envelope('BOOKING_CREATED', { ...payload, uid: undefined }))).toThrow(
      /payload\.uid must be a string/,
    );
    const badLanguage = { ...payload, attendees: [{ ...payload.attendees[0], language: 'de' }] };
    expect(() => parseDelivery(envelope('BOOKING_CANCELLED', badLanguage))).toThrow(/payload\.attendees\.0\.language/);
    expect(() => parseDelivery({ triggerEvent: 'BOOKING_CREATED', payload })).toThrow(/createdAt/);
  });

  it('knows no-show, flat meeting bodies, PING and unknown triggers', () => {
    const noShow = parseDelivery(
      envelope('BOOKING_NO_SHOW_UPDATED', { bookingUid: 'abc', attendees: [{ email: 'a@x', noShow: true }] }),
    );
    expect(noShow).toMatchObject({ kind: 'no-show', payload: { bookingUid: 'abc' } });
    const meeting = parseDelivery({
      triggerEvent: 'MEETING_ENDED',
      uid: 'abc',
      startTime: payload.endTime,
      endTime: payload.endTime,
    });
    expect(meeting).toMatchObject({ kind: 'meeting', trigger: 'MEETING_ENDED', form: 'flat', booking: { uid: 'abc' } });
    expect(parseDelivery(envelope('PING', { type: 'Test' }))).toMatchObject({ kind: 'ping' });
    expect(parseDelivery({ triggerEvent: 'BRAND_NEW', whatever: 1 })).toEqual({ kind: 'other', trigger: 'BRAND_NEW' });
  });
});

describe('parseDelivery: real shapes', () => {
  it('takes seat fields, a recurring rule and any status string in a booking payload', () => {
    const seated = {
      ...payload,
      status: 'AWAITING_HOST',
      attendeeSeatId: 'seat-ref-1',
      seatsPerTimeSlot: 4,
      seatsShowAttendees: false,
      recurringEvent: { freq: 2, count: 6, interval: 1 },
    };
    expect(parseDelivery(envelope('BOOKING_CREATED', seated))).toMatchObject({
      kind: 'booking',
      payload: {
        status: 'AWAITING_HOST',
        attendeeSeatId: 'seat-ref-1',
        seatsPerTimeSlot: 4,
        recurringEvent: { count: 6 },
      },
    });
    const future = parseDelivery(envelope('BOOKING_CREATED', { ...payload, status: 'SOMETHING_NEW' }));
    expect(future).toMatchObject({ payload: { status: 'SOMETHING_NEW' } });
  });

  it('reads MEETING_STARTED / MEETING_ENDED in the envelope form, whose payload is the booking row', () => {
    // `MeetingPayloadBuilder`: `{triggerEvent, createdAt, payload: {...booking}}`, booking as in `MeetingStartedDTO`.
    const row = {
      id: 7,
      uid: 'abc',
      startTime: '2026-02-01T10:00:00.000Z',
      endTime: '2026-02-01T10:30:00.000Z',
      title: 'Intro',
      description: null,
      customInputs: null,
      responses: null,
      userFieldsResponses: null,
      location: 'integrations:daily',
      status: 'ACCEPTED',
      user: { username: 'o', name: 'O', email: 'o@example.com', timeZone: 'Europe/London', locale: null },
      eventType: null,
      attendees: [{ name: 'A', email: 'a@example.com', timeZone: 'Europe/Berlin' }],
    };
    expect(parseDelivery(envelope('MEETING_STARTED', row))).toEqual({
      kind: 'meeting',
      trigger: 'MEETING_STARTED',
      form: 'envelope',
      createdAt: new Date('2026-01-15T12:00:00.000Z'),
      payload: expect.objectContaining({ id: 7, uid: 'abc', status: 'ACCEPTED' }),
    });
    const { uid: _uid, ...withoutUid } = row;
    expect(parseDelivery(envelope('MEETING_ENDED', withoutUid))).toMatchObject({
      form: 'envelope',
      payload: { id: 7 },
    });
    expect(() => parseDelivery(envelope('MEETING_ENDED', { ...withoutUid, id: undefined }))).toThrow(/payload\.uid/);
    expect(() => parseDelivery({ triggerEvent: 'MEETING_ENDED', payload: row })).toThrow(/createdAt/);
    // INSTANT_MEETING is not a booking: its payload is a notification (`InstantMeetingBuilder`).
    const notification = { title: 'Instant meeting', body: 'Join', url: 'https://cal.com/video/x', type: 'Instant' };
    expect(parseDelivery(envelope('INSTANT_MEETING', notification))).toEqual({
      kind: 'other',
      trigger: 'INSTANT_MEETING',
    });
  });
});

describe('readEnvelope', () => {
  it('reads trigger, time and booking uid from each shape', () => {
    expect(readEnvelope(envelope('BOOKING_CREATED'))).toEqual({
      triggerEvent: 'BOOKING_CREATED',
      sentAt: new Date('2026-01-15T12:00:00.000Z'),
      bookingUid: 'abc',
      recognized: true,
    });
    expect(readEnvelope(envelope('BOOKING_NO_SHOW_UPDATED', { bookingUid: 'u' })).bookingUid).toBe('u');
    expect(readEnvelope({ triggerEvent: 'MEETING_STARTED', uid: 'm' })).toEqual({
      triggerEvent: 'MEETING_STARTED',
      sentAt: null,
      bookingUid: 'm',
      recognized: true,
    });
    expect(readEnvelope(envelope('PING', {})).bookingUid).toBeNull();
  });

  it('never throws: bodies that are not Cal.com envelopes are unrecognized, keeping a trigger they name', () => {
    const unknown = { triggerEvent: 'UNKNOWN', sentAt: null, bookingUid: null, recognized: false };
    // A custom payload template, a Zapier body (`getZapierPayload`: no triggerEvent), a template that failed to
    // compile (`JSON.stringify(false)`), a body that was not JSON at all.
    expect(readEnvelope({ event: 'booking', when: '{{startTime}}' })).toEqual(unknown);
    expect(readEnvelope({ title: 'Intro', startTime: payload.startTime, attendees: [] })).toEqual(unknown);
    expect(readEnvelope(false)).toEqual(unknown);
    expect(readEnvelope(undefined)).toEqual(unknown);
    expect(readEnvelope([1, 2])).toEqual(unknown);
    expect(readEnvelope({ triggerEvent: 'BOOKING_CREATED', uid: 'abc', start: 'soon' })).toEqual({
      ...unknown,
      triggerEvent: 'BOOKING_CREATED',
    });
    expect(readEnvelope({ triggerEvent: 'BOOKING_CREATED', createdAt: 'yesterday', payload }).recognized).toBe(false);
    expect(readEnvelope({ triggerEvent: 42, createdAt: '2026-01-15T12:00:00Z', payload })).toEqual(unknown);
  });
});

describe('peekTriggerEvent', () => {
  it("names the trigger from a raw body's first bytes, and nothing for bodies that do not start with one", () => {
    expect(peekTriggerEvent(JSON.stringify(envelope('BOOKING_CANCELLED')))).toBe('BOOKING_CANCELLED');
    expect(peekTriggerEvent('{ "triggerEvent" : "MEETING_ENDED", "uid": "abc" }')).toBe('MEETING_ENDED');
    expect(peekTriggerEvent('{"event":"booking"}')).toBeUndefined();
    expect(peekTriggerEvent(Buffer.from('{"triggerEvent":"PING"}').toString('base64'))).toBeUndefined();
    expect(peekTriggerEvent(`{"payload":"${'x'.repeat(600)}","triggerEvent":"PING"}`)).toBeUndefined();
  });
});
