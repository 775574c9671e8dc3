import { z } from 'zod';
import { calApiEventTypeSchema } from './schemas.ts';

// Team routes of API v2: `GET /v2/teams` (the key user's teams, `TeamOutputDto`) and `GET /v2/teams/:teamId/event-types`
// (`TeamEventTypeOutput_2024_06_14`). Round-robin and collective event types live only there, not in `/v2/event-types`.
// Loose like every schema here: only what calsync relies on is checked.

/** A team the key's user belongs to. */
export const calApiTeamSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().nullish(),
  slug: z.string().nullish(),
  parentId: z.number().int().nullish(),
  isOrganization: z.boolean().nullish(),
});

/** A team event type's host: `userId`, with `mandatory` and `priority` for round robin only. */
const calTeamEventTypeHostSchema = z.looseObject({
  userId: z.number().int(),
  name: z.string().nullish(),
  username: z.string().nullish(),
  mandatory: z.boolean().nullish(),
  priority: z.string().nullish(),
  avatarUrl: z.string().nullish(),
});

/**
 * A team event type. `schedulingType` is `roundRobin`, `collective` or `managed` (null for a team type without one);
 * managed parents list their children's users as hosts.
 */
export const calApiTeamEventTypeSchema = calApiEventTypeSchema.extend({
  teamId: z.number().int(),
  ownerId: z.number().int().nullish(),
  parentEventTypeId: z.number().int().nullish(),
  schedulingType: z.string().nullish(),
  hosts: z.array(calTeamEventTypeHostSchema).default([]),
  assignAllTeamMembers: z.boolean().nullish(),
  team: z
    .looseObject({ id: z.number().int().nullish(), name: z.string().nullish(), slug: z.string().nullish() })
    .nullish(),
});

export type CalApiTeam = z.infer<typeof calApiTeamSchema>;
export type CalApiTeamEventType = z.infer<typeof calApiTeamEventTypeSchema>;
