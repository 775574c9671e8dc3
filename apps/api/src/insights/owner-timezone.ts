import { z } from 'zod';
import { isTimeZone } from '../availability/time-zone.ts';

/**
 * `OWNER_TIMEZONE` (CONTRACT, default UTC): the zone whose Mondays start the insights' weeks and whose clock the
 * weekday × hour grid reads. An unknown name stops the process naming the variable (parseEnv adds the name).
 */
export const ownerTimezoneEnv = {
  OWNER_TIMEZONE: z
    .string()
    .refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin or UTC')
    .default('UTC'),
};
