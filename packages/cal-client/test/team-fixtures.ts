// Shapes of Cal.com's team routes: `TeamOutputDto` (GET /v2/teams) and `OutputTeamEventTypesService`
// (GET /v2/teams/:teamId/event-types, `TeamEventTypeOutput_2024_06_14`).

export function teamJson(id: number): Record<string, unknown> {
  return {
    id,
    parentId: null,
    name: `Team ${id}`,
    slug: `team-${id}`,
    logoUrl: null,
    calVideoLogo: null,
    appLogo: null,
    appIconLogo: null,
    bio: null,
    hideBranding: false,
    isOrganization: false,
    isPrivate: false,
    hideBookATeamMember: false,
    metadata: {},
    theme: null,
    brandColor: '#292929',
    darkBrandColor: '#fafafa',
    bannerUrl: null,
    timeFormat: 12,
    timeZone: 'Europe/London',
    weekStart: 'Monday',
  };
}

/** A round-robin team event type: hosts with `mandatory` and `priority`, the team's summary, no owner. */
export function roundRobinEventTypeJson(id: number, teamId: number): Record<string, unknown> {
  return {
    id,
    lengthInMinutes: 30,
    title: 'Discovery call',
    slug: 'discovery',
    description: '',
    locations: [{ type: 'integration', integration: 'cal-video' }],
    bookingFields: [],
    disableGuests: false,
    slotInterval: null,
    minimumBookingNotice: 120,
    beforeEventBuffer: 0,
    afterEventBuffer: 0,
    recurrence: null,
    metadata: {},
    price: 0,
    currency: 'usd',
    lockTimeZoneToggleOnBookingPage: false,
    seatsPerTimeSlot: null,
    forwardParamsSuccessRedirect: null,
    successRedirectUrl: null,
    isInstantEvent: false,
    seatsShowAvailabilityCount: false,
    scheduleId: null,
    hidden: false,
    hosts: [
      { userId: 11, name: 'Ann Host', username: 'ann', mandatory: false, priority: 'medium', avatarUrl: null },
      { userId: 12, name: 'Bob Host', username: 'bob', mandatory: true, priority: 'high', avatarUrl: null },
    ],
    teamId,
    ownerId: null,
    parentEventTypeId: null,
    schedulingType: 'roundRobin',
    assignAllTeamMembers: false,
    team: { id: teamId, name: `Team ${teamId}`, slug: `team-${teamId}`, bannerUrl: null, weekStart: 'Monday' },
    rescheduleWithSameRoundRobinHost: false,
  };
}

/** A collective team event type: hosts without `mandatory`/`priority`. */
export function collectiveEventTypeJson(id: number, teamId: number): Record<string, unknown> {
  const { hosts: _hosts, ...rest } = roundRobinEventTypeJson(id, teamId);
  return {
    ...rest,
    slug: 'panel',
    title: 'Panel interview',
    lengthInMinutes: 60,
    schedulingType: 'collective',
    hosts: [{ userId: 11, name: 'Ann Host', username: 'ann', avatarUrl: null }],
  };
}
