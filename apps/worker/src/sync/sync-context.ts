import type { CalClient } from '@calsync/cal-client';
import type { Database } from '@calsync/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** The part of the Cal.com client the syncs use (every call takes a token from the shared budget). */
export type CalSyncClient = Pick<CalClient, 'listBookings' | 'listEventTypes' | 'listTeams' | 'listTeamEventTypes'>;

/** What one sync job works with. */
export interface SyncContext {
  db: Database;
  redis: Redis;
  redisPrefix: string;
  logger: Logger;
  /** HTTP requests this job's client sent since the last call (429s and retries included); resets the count. */
  takeRequestCount: () => number;
  /** Aborted when the worker shuts down: stop between pages, the checkpoint keeps the place. */
  signal: AbortSignal;
}
