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
