import { simOrganizer } from '../webhooks/make-booking.ts';
import { SimNotFoundError } from './errors.ts';
import type { SimTeam, SimTeamEventType, SimTeamHost } from './types.ts';

/** The team the simulated key's user belongs to. */
export const simTeam: SimTeam = { id: 201, name: 'Sim Team', slug: 'sim-team' };

/** The key's user and a colleague: the hosts of the team's event types. */
export const simTeamHosts: SimTeamHost[] = [
  { userId: simOrganizer.id, name: simOrganizer.name, username: simOrganizer.username },
  { userId: 2, name: 'Sim Colleague', username: 'sim-colleague' },
];

export type TeamEventTypeInput = Partial<Omit<SimTeamEventType, 'id' | 'teamId'>> & { title: string };

/**
 * The teams of the key's user and their event types (round robin and collective). They are not in
 * `GET /v2/event-types`: Cal.com lists them under `GET /v2/teams/{teamId}/event-types`.
 */
export class SimTeams {
  readonly #teams = new Map<number, SimTeam>();
  readonly #eventTypes = new Map<number, SimTeamEventType>();
  #nextId = 1001;

  constructor(teams: readonly SimTeam[] = [simTeam]) {
    for (const team of teams) this.#teams.set(team.id, team);
  }

  list(): SimTeam[] {
    return [...this.#teams.values()];
  }

  team(teamId: number): SimTeam | undefined {
    return this.#teams.get(teamId);
  }

  /** The team's event types, by id; throws SimNotFoundError for an unknown team. */
  eventTypes(teamId: number): SimTeamEventType[] {
    this.#requireTeam(teamId);
    return [...this.#eventTypes.values()].filter((eventType) => eventType.teamId === teamId);
  }

  createEventType(teamId: number, input: TeamEventTypeInput): SimTeamEventType {
    this.#requireTeam(teamId);
    const id = this.#nextId++;
    const slug = input.slug ?? input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const eventType: SimTeamEventType = {
      slug,
      lengthInMinutes: 30,
      description: '',
      hidden: false,
      price: 0,
      currency: 'usd',
      locations: [{ type: 'integration:daily' }],
      seatsPerTimeSlot: null,
      schedulingType: 'ROUND_ROBIN',
      hosts: simTeamHosts,
      ...input,
      id,
      teamId,
    };
    this.#eventTypes.set(id, eventType);
    return eventType;
  }

  /** Deletes a team event type: it is gone from the team's listing. */
  deleteEventType(teamId: number, id: number): SimTeamEventType {
    const eventType = this.#eventTypes.get(id);
    if (!eventType || eventType.teamId !== teamId) {
      throw new SimNotFoundError(`team ${teamId} has no event type ${id}`);
    }
    this.#eventTypes.delete(id);
    return eventType;
  }

  #requireTeam(teamId: number): SimTeam {
    const team = this.#teams.get(teamId);
    if (!team) throw new SimNotFoundError(`team ${teamId} not found`);
    return team;
  }
}
