import { describe, expect, it } from 'vitest';
import { parseDelivery } from './delivery.ts';
import { readEnvelope } from './envelope.ts';

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
    expect(meeting).toMatchObject({ kind: 'meeting', trigger: 'MEETING_ENDED', booking: { uid: 'abc' } });
    expect(parseDelivery(envelope('PING', { type: 'Test' }))).toMatchObject({ kind: 'ping' });
    expect(parseDelivery({ triggerEvent: 'BRAND_NEW', whatever: 1 })).toEqual({ kind: 'other', trigger: 'BRAND_NEW' });
  });
});

describe('readEnvelope', () => {
  it('reads trigger, time and booking uid from each shape', () => {
    expect(readEnvelope(envelope('BOOKING_CREATED'))).toEqual({
      triggerEvent: 'BOOKING_CREATED',
      sentAt: new Date('2026-01-15T12:00:00.000Z'),
      bookingUid: 'abc',
    });
    expect(readEnvelope(envelope('BOOKING_NO_SHOW_UPDATED', { bookingUid: 'u' })).bookingUid).toBe('u');
    expect(readEnvelope({ triggerEvent: 'MEETING_STARTED', uid: 'm' })).toEqual({
      triggerEvent: 'MEETING_STARTED',
      sentAt: null,
      bookingUid: 'm',
    });
    expect(readEnvelope(envelope('PING', {})).bookingUid).toBeNull();
  });
});
