import { mailEnv } from '@calsync/service-kit';

/**
 * `OWNER_TIMEZONE` (README "Configuration", default UTC): the zone whose Mondays start the insights' weeks and whose
 * clock the weekday × hour grid reads. The same rule as the worker's (its daily agenda), so one value means one thing
 * in every process; an unknown name stops the process naming the variable.
 */
export const ownerTimezoneEnv = { OWNER_TIMEZONE: mailEnv.OWNER_TIMEZONE };
