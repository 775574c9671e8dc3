/** A person on a booking as the simulator keeps it. `locale` becomes Cal.com's `language: {locale}` object. */
export interface SimAttendee {
  name: string;
  email: string;
  timeZone: string;
  locale: string;
  phoneNumber: string | null;
  /** Marked as a no-show (API v2 `absent`, webhook `noShow`). */
  absent: boolean;
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
  status: 'accepted' | 'pending' | 'cancelled' | 'rejected';
  attendee: SimAttendee;
  organizer: SimOrganizer;
  /** `integrations:daily`, a URL or an address. */
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
  /** `JSON.parse(rawBody)`. */
  body: unknown;
  /** The booking uid this delivery is about, when it is about one (PING is not). */
  uid: string | null;
  /** The booking's state right after this delivery's event: what a receiver should end up with. */
  booking: SimBooking | null;
  /** Set by `perturbStream`: how long to wait after the previous send before sending this one. */
  delayMs?: number;
}
