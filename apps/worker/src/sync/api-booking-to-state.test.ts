import type { CalApiBooking } from '@calsync/cal-client';
import { describe, expect, it } from 'vitest';
import {
  apiBookingToState,
  apiBookingToWrite,
  SETTLE_WINDOW_MS,
  UnknownApiStatusError,
} from './api-booking-to-state.ts';

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
      calStatus: 'accepted',
      recurringBookingUid: null,
      seatsPerTimeSlot: null,
      noShowHost: null,
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

  it('reads an instant meeting no host took yet (awaiting_host, host id "unknown") as pending', () => {
    const instant = apiBooking({
      status: 'awaiting_host',
      hosts: [{ id: 'unknown', name: 'unknown', email: 'unknown', timeZone: 'unknown' }],
    });
    expect(apiBookingToState(instant, now)).toMatchObject({ status: 'pending', calStatus: 'awaiting_host' });
  });

  it('fails loudly on a status it does not know (the sync skips and records that item)', () => {
    expect(() => apiBookingToState(apiBooking({ status: 'tentative' }), now)).toThrow(UnknownApiStatusError);
    expect(() => apiBookingToState(apiBooking({ status: 'tentative' }), now)).toThrow(/tentative/);
  });

  it('keeps only an http(s) URL as the meeting link: an address or phone number stays the location', () => {
    // output.service.ts renders both meetingUrl and location as `metadata.videoCallUrl || booking.location`.
    const address = apiBooking({ meetingUrl: '12 Rue de Rivoli, Paris', location: '12 Rue de Rivoli, Paris' });
    expect(apiBookingToState(address, now)).toMatchObject({ meetingUrl: null, location: '12 Rue de Rivoli, Paris' });
    const script = apiBooking({ meetingUrl: 'javascript:alert(1)', location: 'integrations:daily' });
    expect(apiBookingToState(script, now).meetingUrl).toBeNull();
  });

  it('reads "" reasons as none, and absentHost as the host no-show', () => {
    const state = apiBookingToState(apiBooking({ cancellationReason: '', absentHost: true }), now);
    expect(state).toMatchObject({ cancellationReason: null, noShowHost: true });
  });

  it('leaves unknown what the API does not say (no attendee, no event type)', () => {
    const state = apiBookingToState(apiBooking({ attendees: [], eventTypeId: null, eventType: null }), now);
    expect(state).toMatchObject({ attendeeName: null, attendeeEmail: null, eventTypeId: null, eventTypeSlug: null });
  });
});

describe('apiBookingToWrite', () => {
  it('dates the information by updatedAt, or createdAt when the booking never changed', () => {
    expect(apiBookingToWrite(apiBooking(), now).upsert).toMatchObject({
      infoAt: new Date('2026-05-20T08:00:00.000Z'),
      source: 'api',
    });
    expect(apiBookingToWrite(apiBooking({ updatedAt: null }), now).upsert.infoAt).toEqual(
      new Date('2026-05-01T08:00:00.000Z'),
    );
  });

  it('in a reconciliation, a booking settled upstream is the truth as of its fetching', () => {
    expect(apiBookingToWrite(apiBooking(), now, { settle: true }).upsert).toMatchObject({
      infoAt: now,
      source: 'reconcile',
    });
    const recent = new Date(now.getTime() - SETTLE_WINDOW_MS + 1_000).toISOString();
    expect(apiBookingToWrite(apiBooking({ updatedAt: recent }), now, { settle: true }).upsert.source).toBe('api');
  });

  it("lists every seat holder as the booking's attendees, as of the fetching", () => {
    const seated = apiBooking({
      attendees: [
        { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/London', absent: false, seatUid: 'seat-1' },
        { name: 'Bo', email: 'bo@example.com', timeZone: 'Asia/Tokyo', absent: true, seatUid: 'seat-2' },
      ],
    });
    const { attendees } = apiBookingToWrite(seated, now);
    expect(attendees).toMatchObject({ kind: 'replace', uid: 'uid-42', at: now });
    expect(attendees.kind === 'replace' && attendees.attendees.map((a) => [a.email, a.seatUid, a.absent])).toEqual([
      ['ada@example.com', 'seat-1', false],
      ['bo@example.com', 'seat-2', true],
    ]);
  });
});
