/** A person on a booking as the simulator keeps it. `locale` becomes Cal.com's `language: {locale}` object. */
export interface SimAttendee {
  name: string;
  email: string;
  timeZone: string;
  locale: string;
  phoneNumber: string | null;
  /** Marked as a no-show (API v2 `absent`, webhook `noShow`). */
  absent: boolean;
  /** The seat's reference uid (API v2 `seatUid`, webhook `attendeeSeatId`) when the booking is seated. */
  seatUid?: string | null;
}

/** Cal.com's `recurringEvent` (rrule numbers: `freq` 2 is weekly). */
export interface SimRecurringEvent {
  freq: number;
  count: number;
  interval: number;
}

/** The organizer (the API key owner): API v2 `hosts[0]`, webhook `organizer` / MEETING_* `user`. */
export interface SimOrganizer {
  id: number;
  name: string;
  email: string;
  username: string;
  timeZone: string;
  locale: string;
}

/**
 * One booking as the simulator models it: the single source both the API v2 answers and the webhook
 * deliveries are rendered from, so a delivery describes exactly the booking the API returns.
 * Times are ISO strings in UTC (`Z`); renderers choose the wire format.
 */
export interface SimBooking {
  /** Cal.com's stable booking key. */
  uid: string;
  /** Cal.com's numeric booking id (`bookingId` in webhooks). */
  id: number;
  eventTypeId: number;
  eventTypeSlug: string;
  /** The event type's title (webhook `eventTitle`). */
  eventTypeTitle: string;
  title: string;
  description: string;
  additionalNotes: string;
  start: string;
  end: string;
  /** `awaiting_host`: an instant meeting nobody has joined yet as host. */
  status: 'accepted' | 'pending' | 'cancelled' | 'rejected' | 'awaiting_host';
  /** The first attendee (the booker; on a seated booking the first seat holder still there). */
  attendee: SimAttendee;
  /** Every attendee after `attendee`: the other seat holders of a seated booking. */
  otherAttendees: SimAttendee[];
  /** Seats per slot when the event type is seated, else null. */
  seatsPerTimeSlot: number | null;
  /** The series uid shared by every occurrence of a recurring booking (API v2 `recurringBookingUid`). */
  recurringBookingUid: string | null;
  recurringEvent: SimRecurringEvent | null;
  /**
   * False for an instant meeting no host has taken (the booking row has no user): API v2 then renders the host
   * as `{id: "unknown", …}`.
   */
  hostAssigned: boolean;
  organizer: SimOrganizer;
  /** `integrations:daily` (or another `integrations:*`), a URL, a street address or a phone number. */
  location: string;
  /** The video call URL when the location is a video app. */
  meetingUrl: string | null;
  price: number;
  currency: string;
  requiresConfirmation: boolean;
  cancellationReason: string | null;
  cancelledByEmail: string | null;
  rejectionReason: string | null;
  reschedulingReason: string | null;
  rescheduledByEmail: string | null;
  /** On the new half of a reschedule: the old booking's uid. */
  rescheduledFromUid: string | null;
  /** On the old half of a reschedule (then `cancelled`): the new booking's uid. */
  rescheduledToUid: string | null;
  /** The old booking's numeric id on the new half of a reschedule (webhook `rescheduleId`). */
  rescheduledFromId: number | null;
  /** Whether the organizer was a no-show. */
  absentHost: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One webhook delivery, ready to sign and send. */
export interface Delivery {
  triggerEvent: string;
  /** The envelope's `createdAt` (for MEETING_* the booking row has no envelope; this is the build time). */
  createdAt: string;
  /** The exact bytes to sign and send. */
  rawBody: string;
  /** `JSON.parse(rawBody)` (the raw string itself when a custom template's body is not JSON). */
  body: unknown;
  /** Only for custom payload templates whose body is not JSON (Cal.com then sends it form-encoded). */
  contentType?: string;
  /** The booking uid this delivery is about, when it is about one (PING is not). */
  uid: string | null;
  /** The booking's state right after this delivery's event: what a receiver should end up with. */
  booking: SimBooking | null;
  /** Set by `perturbStream`: how long to wait after the previous send before sending this one. */
  delayMs?: number;
}
