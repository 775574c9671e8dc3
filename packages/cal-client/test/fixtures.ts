/** A v2 booking as Cal.com returns it (cal-api-version 2024-08-13), for stub-server answers. */
export function bookingJson(index: number): Record<string, unknown> {
  const start = new Date(Date.UTC(2026, 0, 1, 9) + index * 3_600_000);
  return {
    id: 1000 + index,
    uid: `uid-${index}`,
    title: `Meeting ${index}`,
    description: null,
    status: 'accepted',
    start: start.toISOString(),
    end: new Date(start.getTime() + 1_800_000).toISOString(),
    duration: 30,
    eventTypeId: 7,
    eventType: { id: 7, slug: 'intro' },
    location: 'integrations:daily',
    meetingUrl: 'https://app.cal.com/video/x',
    hosts: [{ id: 1, name: 'Host', email: 'host@example.com', username: 'host', timeZone: 'UTC' }],
    attendees: [
      { name: 'Ann', email: `ann${index}@example.com`, timeZone: 'Europe/Paris', language: 'en', absent: false },
    ],
    guests: [],
    bookingFieldsResponses: {},
    metadata: {},
    createdAt: '2025-12-01T10:00:00.000Z',
    updatedAt: '2025-12-02T10:00:00.000Z',
    icsUid: `ics-${index}`,
  };
}

/** `{status:"success", data, pagination}` for one page of `GET /v2/bookings`. */
export function bookingsPageJson(bookings: unknown[], hasNextPage = false): Record<string, unknown> {
  return {
    status: 'success',
    data: bookings,
    pagination: {
      totalItems: bookings.length,
      remainingItems: 0,
      returnedItems: bookings.length,
      itemsPerPage: 250,
      currentPage: 1,
      totalPages: 1,
      hasNextPage,
      hasPreviousPage: false,
    },
  };
}

export function errorJson(code: string, message: string): string {
  return JSON.stringify({
    status: 'error',
    timestamp: new Date().toISOString(),
    path: '/v2/x',
    error: { code, message },
  });
}

// Shapes from Cal.com's `OutputBookingsService_2024_08_13` (apps/api/v2/.../2024-08-13/services/output.service.ts).

/** An instant meeting before a host joined: no user, so `getHost()` answers `"unknown"` for every host field. */
export function instantMeetingJson(index: number): Record<string, unknown> {
  return {
    ...bookingJson(index),
    status: 'awaiting_host',
    hosts: [{ id: 'unknown', name: 'unknown', email: 'unknown', username: 'unknown' }],
    absentHost: false,
    attendees: [
      {
        name: 'Ann',
        email: `ann${index}@example.com`,
        displayEmail: `ann${index}@example.com`,
        timeZone: 'Europe/Paris',
        language: null,
        absent: false,
        phoneNumber: '+33612345678',
      },
    ],
    guests: undefined,
    rescheduledToUid: undefined,
    rating: null,
  };
}

/** A seated booking (`getOutputSeatedBooking`): attendees carry their seat and their own responses. */
export function seatedBookingJson(index: number): Record<string, unknown> {
  const { guests: _guests, bookingFieldsResponses: _responses, ...base } = bookingJson(index);
  return {
    ...base,
    attendees: [
      {
        name: 'Ann',
        email: `ann${index}@example.com`,
        timeZone: 'Europe/Paris',
        language: 'fr',
        absent: false,
        seatUid: `seat-${index}-a`,
        bookingFieldsResponses: { name: 'Ann' },
        metadata: {},
      },
    ],
  };
}

/** A cancelled occurrence of a recurring series (`getOutputRecurringBooking`). */
export function cancelledRecurringJson(index: number): Record<string, unknown> {
  return {
    ...bookingJson(index),
    status: 'cancelled',
    cancellationReason: 'ill',
    cancelledByEmail: 'host@example.com',
    recurringBookingUid: `series-${index}`,
    absentHost: true,
  };
}

/** A page as Cal.com's `getPagination()` computes it, from a total that may be null or an estimate. */
export function calPageJson(
  bookings: unknown[],
  pagination: { totalItems: number | null; hasNextPage: boolean | null; take?: number },
): Record<string, unknown> {
  return {
    status: 'success',
    data: bookings,
    pagination: {
      totalItems: pagination.totalItems,
      remainingItems: 0,
      itemsReturned: bookings.length,
      itemsPerPage: pagination.take ?? 250,
      currentPage: 1,
      totalPages: 1,
      hasNextPage: pagination.hasNextPage,
      hasPreviousPage: false,
    },
  };
}
