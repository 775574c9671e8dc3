import { createHash } from 'node:crypto';
import type { Database } from '@calsync/db';
import { availabilitySlotsKey, availabilityVersion } from '@calsync/jobs';
import { HttpError } from '@calsync/service-kit';
import type { Redis } from 'ioredis';
import type { DateOrInstant } from '../routes/params.ts';
import { requireBookableEventType } from './bookable-event-type.ts';
import { busyRanges } from './busy.ts';
import type { SlotsSource } from './cal-slots.ts';
import { mergeRanges } from './free-ranges.ts';
import type { MissLimit } from './miss-limit.ts';
import type { SharedCache } from './shared-cache.ts';
import { endOfDay, startOfDay } from './time-zone.ts';

export const MAX_RANGE_DAYS = 62;
const DAY_MS = 86_400_000;
// A 62-day range that spans a DST change is an hour longer than 62 × 24 h.
const DST_SLACK_MS = 3_600_000;

export interface AvailabilityQuery {
  eventTypeId: string;
  dateFrom: DateOrInstant;
  dateTo: DateOrInstant;
  timeZone?: string;
}

export interface AvailabilityDeps {
  db: Database;
  redis: Redis;
  redisPrefix: string;
  cache: SharedCache;
  /** Undefined when no CAL_API_KEY is configured. */
  slots: SlotsSource | undefined;
  /** Counts the Cal.com calls a client causes; throws when it caused too many. */
  countMiss: MissLimit;
}

/** The instants the query covers: a bare date is its whole day in the query's time zone (UTC by default). */
export function queryRange(query: AvailabilityQuery): { fromMs: number; toMs: number } {
  const zone = query.timeZone ?? 'UTC';
  const fromMs = query.dateFrom.kind === 'date' ? startOfDay(query.dateFrom.date, zone) : query.dateFrom.ms;
  const toMs = query.dateTo.kind === 'date' ? endOfDay(query.dateTo.date, zone) : query.dateTo.ms;
  if (toMs <= fromMs) {
    throw new HttpError('invalid_request', 'dateTo: must be after dateFrom', { details: { parameter: 'dateTo' } });
  }
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS + DST_SLACK_MS) {
    throw new HttpError('invalid_request', `dateTo: the range may span at most ${MAX_RANGE_DAYS} days`, {
      details: { parameter: 'dateTo' },
    });
  }
  return { fromMs, toMs };
}

const asText = (value: DateOrInstant) => (value.kind === 'date' ? value.date : value.iso);

/**
 * `slots` and `dateRanges` from Cal.com (cached per parameters under the event type's availability version, which
 * booking writers bump), `busy` from calsync's own bookings, always fresh. Only for event types the mirror holds as
 * active. `client` is the caller's `clientKey`, which its cache misses count under.
 */
export async function getAvailability(deps: AvailabilityDeps, query: AvailabilityQuery, client: string) {
  const { fromMs, toMs } = queryRange(query);
  const source = deps.slots;
  if (!source) {
    throw new HttpError('cal_api_not_configured', 'availability needs the Cal.com API: set CAL_API_KEY');
  }
  await requireBookableEventType(deps.db, query.eventTypeId);
  const request = {
    eventTypeId: query.eventTypeId,
    start: asText(query.dateFrom),
    end: asText(query.dateTo),
    timeZone: query.timeZone,
  };
  const version = await availabilityVersion(deps.redis, deps.redisPrefix, query.eventTypeId);
  const digest = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
  const key = availabilitySlotsKey(deps.redisPrefix, query.eventTypeId, version, digest);
  const [{ value: slots }, busy] = await Promise.all([
    deps.cache.get(key, async () => {
      await deps.countMiss(client);
      return source.getSlots(request);
    }),
    busyRanges(deps.db, query.eventTypeId, fromMs, toMs),
  ]);
  return { busy, dateRanges: mergeRanges(slots), slots };
}
