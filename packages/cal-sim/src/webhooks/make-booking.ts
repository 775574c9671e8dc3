import { createRandom } from '../random.ts';
import type { SimBooking, SimOrganizer } from './types.ts';

const firstNames = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Edsger',
  'Zoë',
];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Müller'];
const timeZones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Europe/Berlin', 'America/Los_Angeles'];
const locales = ['en', 'de', 'fr', 'es', 'pt-BR'];

/** The simulated account owner: every booking's organizer and host. */
export const simOrganizer: SimOrganizer = {
  id: 1,
  name: 'Sim Organizer',
  email: 'organizer@cal-sim.test',
  username: 'sim-organizer',
  timeZone: 'Europe/London',
  locale: 'en',
};

/** The default event types' identity, shared with the API's generator so webhooks and API agree. */
export const defaultEventTypes = [
  { id: 101, slug: '30min', title: '30 Min Meeting', lengthInMinutes: 30, price: 0, currency: 'usd' },
  { id: 102, slug: '60min', title: '60 Min Meeting', lengthInMinutes: 60, price: 0, currency: 'usd' },
  { id: 103, slug: 'consultation', title: 'Paid Consultation', lengthInMinutes: 45, price: 5000, currency: 'eur' },
  { id: 104, slug: 'intro-call', title: 'Intro Call', lengthInMinutes: 15, price: 0, currency: 'usd' },
] as const;

const fixedNow = Date.parse('2026-01-15T12:00:00.000Z');

/**
 * A realistic, deterministic booking: the same `seed` always gives the same booking. `overrides` win over
 * generated fields (so `makeBooking({ uid: 'x' }, 3)` is booking 3 with uid `x`). Start/end default to a
 * future slot relative to a fixed instant, so snapshots never depend on the clock.
 */
export function makeBooking(overrides: Partial<SimBooking> = {}, seed = 1): SimBooking {
  const random = createRandom(seed);
  const eventType = random.pick(defaultEventTypes);
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const name = `${first} ${last}`;
  const email = `${first}.${last}.${seed}@example.com`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '');
  const startMs = fixedNow + random.int(1, 60) * 86_400_000 + random.int(8, 17) * 3_600_000;
  const start = new Date(Math.floor(startMs / 3_600_000) * 3_600_000);
  const end = new Date(start.getTime() + eventType.lengthInMinutes * 60_000);
  const createdAt = new Date(fixedNow - random.int(1, 30) * 86_400_000 - random.int(0, 86_399) * 1000);
  const uid = random.uid();
  const video = random.chance(0.7);
  const base: SimBooking = {
    uid,
    id: seed,
    eventTypeId: eventType.id,
    eventTypeSlug: eventType.slug,
    eventTypeTitle: eventType.title,
    title: `${eventType.title} between ${simOrganizer.name} and ${name}`,
    description: random.chance(0.5) ? 'Let us talk about the roadmap.' : '',
    additionalNotes: random.chance(0.3) ? 'Please call me on arrival.' : '',
    start: start.toISOString(),
    end: end.toISOString(),
    status: 'accepted',
    attendee: {
      name,
      email,
      timeZone: random.pick(timeZones),
      locale: random.pick(locales),
      phoneNumber: random.chance(0.2) ? `+4477009${String(random.int(10_000, 99_999))}` : null,
      absent: false,
    },
    otherAttendees: [],
    seatsPerTimeSlot: null,
    recurringBookingUid: null,
    recurringEvent: null,
    hostAssigned: true,
    organizer: simOrganizer,
    location: video ? 'integrations:daily' : random.pick(['Calcom HQ, 1 Main St', 'https://meet.example.com/room']),
    meetingUrl: video ? `https://app.cal.com/video/${uid}` : null,
    price: eventType.price,
    currency: eventType.currency,
    requiresConfirmation: false,
    cancellationReason: null,
    cancelledByEmail: null,
    rejectionReason: null,
    reschedulingReason: null,
    rescheduledByEmail: null,
    rescheduledFromUid: null,
    rescheduledToUid: null,
    rescheduledFromId: null,
    absentHost: false,
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
  };
  const booking = { ...base, ...overrides };
  // Derived fields follow the overrides they derive from, so an overridden event type or uid stays consistent.
  if (overrides.title === undefined) {
    booking.title = `${booking.eventTypeTitle} between ${booking.organizer.name} and ${booking.attendee.name}`;
  }
  if (overrides.meetingUrl === undefined && booking.meetingUrl !== null && overrides.location === undefined) {
    booking.meetingUrl = `https://app.cal.com/video/${booking.uid}`;
  }
  return booking;
}
