import type { FastifyInstance } from 'fastify';
import type { SimStore } from '../store/sim-store.ts';
import type { SimTeam, SimTeamEventType } from '../store/types.ts';
import { type Query, single } from './query-params.ts';
import { V2BadRequest } from './v2-errors.ts';
import { toV2EventType } from './v2-shapes.ts';

/** `GET /v2/teams/{teamId}/event-types` has no auth guard in Cal.com: anyone may list a team's event types. */
export const publicTeamEventTypesPath = /^\/v2\/teams\/[^/?]+\/event-types\/?(\?|$)/;

/** TeamOutputDto: a team as `GET /v2/teams` answers it. */
export function toV2Team(team: SimTeam) {
  return {
    id: team.id,
    parentId: null,
    name: team.name,
    slug: team.slug,
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
    brandColor: null,
    darkBrandColor: null,
    bannerUrl: null,
    timeFormat: null,
    timeZone: 'Europe/London',
    weekStart: 'Monday',
  };
}

/**
 * TeamEventTypeOutput_2024_06_14 (output-team-event-types.service.ts): the event type fields without `ownerId`
 * and `users`, then `hosts`, `teamId`, `schedulingType` written `roundRobin` / `collective`, and the team.
 * Only round-robin hosts carry `mandatory` and `priority`.
 */
export function toV2TeamEventType(eventType: SimTeamEventType, team: SimTeam) {
  const { ownerId: _ownerId, users: _users, ...rest } = toV2EventType(eventType, 0);
  const roundRobin = eventType.schedulingType === 'ROUND_ROBIN';
  return {
    ...rest,
    hosts: eventType.hosts.map((host) => ({
      userId: host.userId,
      name: host.name,
      username: host.username,
      ...(roundRobin ? { mandatory: false, priority: 'medium' } : {}),
      avatarUrl: null,
    })),
    teamId: eventType.teamId,
    ownerId: null,
    parentEventTypeId: null,
    schedulingType: roundRobin ? 'roundRobin' : 'collective',
    assignAllTeamMembers: false,
    team: {
      id: team.id,
      name: team.name,
      slug: team.slug,
      bannerUrl: null,
      logoUrl: null,
      weekStart: 'Monday',
      brandColor: null,
      darkBrandColor: null,
      theme: null,
    },
    rescheduleWithSameRoundRobinHost: false,
    rrHostSubsetEnabled: false,
  };
}

/** ParseIntPipe's answer to a team id that is not a number. */
function teamIdParam(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new V2BadRequest('Validation failed (numeric string is expected)');
  return Number(raw);
}

/**
 * The teams routes: `GET /v2/teams` (the key's user's teams; API key needed) and
 * `GET /v2/teams/{teamId}/event-types` (public; optional `eventSlug`). Both controllers accept every
 * cal-api-version, so neither checks the header. An unknown team has no event types: an empty list.
 */
export function registerV2TeamRoutes(app: FastifyInstance, store: SimStore) {
  app.get('/v2/teams', async () => ({ status: 'success', data: store.teams.list().map(toV2Team) }));
  app.get<{ Params: { teamId: string } }>('/v2/teams/:teamId/event-types', async (request) => {
    const team = store.teams.team(teamIdParam(request.params.teamId));
    const slug = single(request.query as Query, 'eventSlug');
    const eventTypes = team ? store.teams.eventTypes(team.id) : [];
    const data = eventTypes
      .filter((eventType) => slug === undefined || eventType.slug === slug)
      .map((eventType) => toV2TeamEventType(eventType, team!));
    return { status: 'success', data };
  });
}
