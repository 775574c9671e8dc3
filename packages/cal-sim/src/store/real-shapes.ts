import { createRandom, type Random } from '../random.ts';
import type { SimAttendee, SimBooking } from '../webhooks/types.ts';
import type { SimTeams } from './teams.ts';
import type { SimEventType } from './types.ts';

const week = 7 * 86_400_000;
const seriesLength = 4;

/** Locations real accounts hold besides Cal Video: API v2 hands them out as `location` AND `meetingUrl`. */
const otherLocations: Array<{ location: string; meetingUrl: (uid: string) => string | null }> = [
  { location: '221B Baker Street, London NW1 6XE', meetingUrl: () => null },
  { location: 'Calcom HQ, 1 Main St, Springfield', meetingUrl: () => null },
  { location: '+1 415 555 0134', meetingUrl: () => null },
  { location: '+44 20 7946 0958', meetingUrl: () => null },
  { location: 'integrations:zoom', meetingUrl: (uid) => `https://us05web.zoom.us/j/${uid.length}${uid.slice(0, 9)}` },
  { location: 'integrations:google:meet', meetingUrl: () => 'https://meet.google.com/abc-defg-hij' },
];

const plain = (b: SimBooking) =>
  b.status === 'accepted' &&
  b.rescheduledFromUid === null &&
  b.rescheduledToUid === null &&
  b.seatsPerTimeSlot === null &&
  b.recurringBookingUid === null &&
  b.hostAssigned;

/**
 * Turns a generated account into one with the shapes real accounts send, in place and deterministically for
 * `seed`: recurring series, instant meetings awaiting a host, seated bookings with several seat holders,
 * addresses and phone numbers as locations, `""` reasons stored on never-cancelled bookings (so webhooks carry
 * them too), absent hosts on past bookings, and a round-robin and a collective team event type.
 */
export function applyRealShapes(
  bookings: SimBooking[],
  context: { seed: number; now: Date; teams: SimTeams; eventTypes: readonly SimEventType[] },
): void {
  const random = createRandom(context.seed * 31 + 7);
  const seatsByType = new Map(context.eventTypes.map((e) => [e.id, e.seatsPerTimeSlot ?? null]));
  for (let index = 0; index < bookings.length; index++) {
    const booking = bookings[index]!;
    if (seatsByType.get(booking.eventTypeId)) continue;
    const series = bookings.slice(index, index + seriesLength);
    if (random.chance(0.03) && series.length === seriesLength && series.every(plain)) {
      makeSeries(series, random.uid());
      index += seriesLength - 1;
    } else if (random.chance(0.02) && plain(booking)) {
      makeInstant(booking);
    }
  }
  const nowMs = context.now.getTime();
  for (const booking of bookings) {
    const seats = seatsByType.get(booking.eventTypeId) ?? null;
    if (seats) seat(booking, seats, random);
    if (random.chance(0.3) && booking.hostAssigned) {
      const other = random.pick(otherLocations);
      booking.location = other.location;
      booking.meetingUrl = other.meetingUrl(booking.uid);
    }
    const neverCancelled = booking.status !== 'cancelled' && booking.status !== 'rejected';
    if (neverCancelled) {
      booking.cancellationReason = '';
      booking.cancelledByEmail = '';
    }
    if (booking.status === 'accepted' && Date.parse(booking.end) < nowMs && random.chance(0.1)) {
      booking.absentHost = true;
    }
  }
  context.teams.createEventType(context.teams.list()[0]!.id, {
    title: 'Team Round Robin',
    slug: 'team-round-robin',
    schedulingType: 'ROUND_ROBIN',
  });
  context.teams.createEventType(context.teams.list()[0]!.id, {
    title: 'Team Collective',
    slug: 'team-collective',
    lengthInMinutes: 60,
    schedulingType: 'COLLECTIVE',
  });
}

/** Weekly occurrences of the first booking, each keeping its own uid, id and timestamps. */
function makeSeries(series: SimBooking[], recurringBookingUid: string) {
  const [head] = series;
  if (!head) return;
  series.forEach((occurrence, k) => {
    Object.assign(occurrence, {
      eventTypeId: head.eventTypeId,
      eventTypeSlug: head.eventTypeSlug,
      eventTypeTitle: head.eventTypeTitle,
      price: head.price,
      currency: head.currency,
      attendee: head.attendee,
      title: head.title,
      start: new Date(Date.parse(head.start) + k * week).toISOString(),
      end: new Date(Date.parse(head.end) + k * week).toISOString(),
      recurringBookingUid,
      recurringEvent: { freq: 2, count: series.length, interval: 1 },
    });
  });
}

/** An instant meeting started when it was created, still waiting for a host to join. */
function makeInstant(booking: SimBooking) {
  const length = Date.parse(booking.end) - Date.parse(booking.start);
  Object.assign(booking, {
    status: 'awaiting_host',
    hostAssigned: false,
    title: `Instant Meeting with ${booking.attendee.name}`,
    start: booking.createdAt,
    end: new Date(Date.parse(booking.createdAt) + length).toISOString(),
    location: 'integrations:daily',
    meetingUrl: `https://app.cal.com/video/${booking.uid}`,
  });
}

/** Up to `seats` seat holders, each with its own seat uid; the booker keeps the first seat. */
function seat(booking: SimBooking, seats: number, random: Random) {
  booking.seatsPerTimeSlot = seats;
  booking.attendee = { ...booking.attendee, seatUid: random.uid() };
  const others = random.int(0, Math.min(3, seats - 1));
  booking.otherAttendees = Array.from({ length: others }, (_, n): SimAttendee => {
    const name = `Seat Holder ${booking.id}-${n + 2}`;
    return {
      name,
      email: `seat.${booking.id}.${n + 2}@example.com`,
      timeZone: booking.attendee.timeZone,
      locale: 'en',
      phoneNumber: null,
      absent: false,
      seatUid: random.uid(),
    };
  });
}
