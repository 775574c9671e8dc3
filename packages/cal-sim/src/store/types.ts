/** An event type as the simulator keeps it (API v2 2024-06-14 shape, minus the defaults it renders). */
export interface SimEventType {
  id: number;
  slug: string;
  title: string;
  lengthInMinutes: number;
  description: string;
  hidden: boolean;
  price: number;
  currency: string;
  locations: Array<{ type: string; address?: string; link?: string }>;
  /** Seats per slot for a seated event type; absent or null when not seated. */
  seatsPerTimeSlot?: number | null;
}

/** A team the key's user belongs to (`GET /v2/teams`). */
export interface SimTeam {
  id: number;
  name: string;
  slug: string;
}

/** A person who hosts a team event type (`hosts[]` of a team event type). */
export interface SimTeamHost {
  userId: number;
  name: string;
  username: string;
}

/** A team event type (`GET /v2/teams/{teamId}/event-types`): round robin or collective, with its hosts. */
export interface SimTeamEventType extends SimEventType {
  teamId: number;
  schedulingType: 'ROUND_ROBIN' | 'COLLECTIVE';
  hosts: SimTeamHost[];
}
