import type { CalApiBooking } from '@calsync/cal-client';
import { describe, expect, it } from 'vitest';
import { apiBookingToState, apiBookingToUpsert, UnknownApiStatusError } from './api-booking-to-state.ts';

const now = new Date('2026-06-01T12:00:00Z');

function apiBooking(overrides: Partial<CalApiBooking> = {}): CalApiBooking {
  return {
    id: 42,
    uid: 'uid-42',
    title: 'Intro call',
    status: 'accepted',
    start: '2026-06-02T09:00:00.000Z',
    end: '2026-06-02T09:30:00.000Z',
    eventTypeId: 7,
    eventType: { id: 7, slug: 'intro' },
    location: 'integrations:daily',
    meetingUrl: 'https://meet.example/abc',
    hosts: [{ id: 1, name: 'Host', email: 'host@example.com', timeZone: 'Europe/Paris' }],
    attendees: [{ name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/London', absent: false }],
    metadata: {},
    createdAt: '2026-05-01T08:00:00.000Z',
    updatedAt: '2026-05-20T08:00:00.000Z',
    ...overrides,
  };
}

describe('apiBookingToState', () => {
  it('maps every field calsync keeps, and keeps the whole API booking as metadata', () => {
    const booking = apiBooking();
    expect(apiBookingToState(booking, now)).toEqual({
      calUid: 'uid-42',
      calBookingId: '42',
      eventTypeId: '7',
      eventTypeSlug: 'intro',
      title: 'Intro call',
      startTime: new Date('2026-06-02T09:00:00.000Z'),
      endTime: new Date('2026-06-02T09:30:00.000Z'),
      attendeeName: 'Ada',
      attendeeEmail: 'ada@example.com',
      attendeeTimezone: 'Europe/London',
      organizerTimezone: 'Europe/Paris',
      status: 'scheduled',
      meetingUrl: 'https://meet.example/abc',
      location: 'integrations:daily',
      metadata: booking,
      rescheduledFromUid: null,
      rescheduledToUid: null,
      cancellationReason: null,
      rejectionReason: null,
    });
  });

  it.each([
    [{ status: 'accepted' }, 'scheduled'],
    [{ status: 'accepted', end: '2026-06-01T11:00:00.000Z' }, 'completed'],
    [{ status: 'pending' }, 'pending'],
    [{ status: 'cancelled' }, 'cancelled'],
    [{ status: 'cancelled', rescheduledToUid: 'uid-43' }, 'rescheduled'],
    [{ status: 'rejected' }, 'rejected'],
  ] as const)('status %j → %s', (overrides, expected) => {
    expect(apiBookingToState(apiBooking(overrides), now).status).toBe(expected);
  });

  it('fails loudly, naming the booking, on a status it does not know', () => {
    expect(() => apiBookingToState(apiBooking({ status: 'awaiting_host' }), now)).toThrow(UnknownApiStatusError);
    expect(() => apiBookingToState(apiBooking({ status: 'awaiting_host' }), now)).toThrow(/uid-42.*awaiting_host/);
  });

  it('leaves unknown what the API does not say (no attendee, no event type)', () => {
    const state = apiBookingToState(apiBooking({ attendees: [], eventTypeId: null, eventType: null }), now);
    expect(state).toMatchObject({ attendeeName: null, attendeeEmail: null, eventTypeId: null, eventTypeSlug: null });
  });
});

describe('apiBookingToUpsert', () => {
  it('dates the information by updatedAt, or createdAt when the booking never changed', () => {
    expect(apiBookingToUpsert(apiBooking(), now)).toMatchObject({
      infoAt: new Date('2026-05-20T08:00:00.000Z'),
      source: 'api',
    });
    expect(apiBookingToUpsert(apiBooking({ updatedAt: null }), now).infoAt).toEqual(
      new Date('2026-05-01T08:00:00.000Z'),
    );
  });
});
