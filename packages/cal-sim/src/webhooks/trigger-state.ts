import type { SimBooking } from './types.ts';

/**
 * The booking's state right after `trigger` happened to it (what Cal.com's database holds when it sends the
 * delivery). Triggers that do not change the booking return it unchanged.
 */
export function stateAfter(trigger: string, booking: SimBooking): SimBooking {
  switch (trigger) {
    case 'BOOKING_CREATED':
    case 'BOOKING_PAID':
    case 'BOOKING_RESCHEDULED':
      return { ...booking, status: 'accepted' };
    case 'BOOKING_REQUESTED':
      return { ...booking, status: 'pending', requiresConfirmation: true };
    case 'BOOKING_CANCELLED':
      return {
        ...booking,
        status: 'cancelled',
        cancellationReason: booking.cancellationReason || 'No longer available',
        cancelledByEmail: booking.cancelledByEmail || booking.attendee.email,
      };
    case 'BOOKING_REJECTED':
      return { ...booking, status: 'rejected', rejectionReason: booking.rejectionReason ?? 'Fully booked that day' };
    case 'BOOKING_NO_SHOW_UPDATED':
      return { ...booking, attendee: { ...booking.attendee, absent: true } };
    default:
      return booking;
  }
}
