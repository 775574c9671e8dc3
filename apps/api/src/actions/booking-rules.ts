import type { BookingStatus } from '@calsync/db';

export const bookingActions = ['confirm', 'decline', 'cancel', 'mark-absent'] as const;
export type BookingAction = (typeof bookingActions)[number];

export interface MirroredBooking {
  status: BookingStatus;
  startTime: Date | null;
  endTime: Date | null;
}

/**
 * Why the mirrored state does not allow `action`, or null when it does. calsync is stricter than Cal.com on purpose
 * (Cal.com would "confirm" a cancelled booking): only pending bookings are confirmed or declined, only bookings that
 * have not ended are cancelled, and absence is marked only once a meeting has started (Cal.com's own rule).
 */
export function refusalOf(action: BookingAction, booking: MirroredBooking, now: Date): string | null {
  const { status } = booking;
  switch (action) {
    case 'confirm':
    case 'decline':
      return status === 'pending'
        ? null
        : `a ${status} booking cannot be ${action === 'confirm' ? 'confirmed' : 'declined'}: only pending ones can`;
    case 'cancel':
      if (status !== 'scheduled' && status !== 'pending') return `a ${status} booking cannot be cancelled`;
      if (booking.endTime && booking.endTime <= now) return 'a booking that has ended cannot be cancelled';
      return null;
    case 'mark-absent':
      if (status !== 'scheduled' && status !== 'completed') return `no one can be marked absent on a ${status} booking`;
      if (!booking.startTime || booking.startTime > now)
        return 'absence can be marked only once the booking has started';
      return null;
  }
}

/** What a booking's page offers: the actions its state allows now. */
export function allowedActions(booking: MirroredBooking, now: Date): BookingAction[] {
  return bookingActions.filter((action) => refusalOf(action, booking, now) === null);
}
