import type { SyncKind } from '@calsync/db';
import { type SyncQueue, syncJob } from '@calsync/jobs';
import type { RepeatOptions } from 'bullmq';
import type { Scheduler } from '../keep-scheduled.ts';

export const EVENT_TYPES_SYNC_EVERY_MS = 3_600_000;
export const COMPLETE_PAST_EVERY_MS = 300_000;

/** What decides each schedule. */
export interface ScheduleSettings {
  /** CAL_SYNC_EVERY (ms). */
  bookingsSyncEveryMs: number;
  /** CAL_RECONCILE_CRON, in UTC. */
  reconcileCron: string;
  /** Without CAL_API_KEY the API-backed schedules are removed: they could only record failures. */
  withApi: boolean;
}

/** Each schedule's stable id is its kind, so every worker that starts upserts the same four schedulers. */
export function syncSchedules(
  settings: ScheduleSettings,
): Array<{ kind: SyncKind; repeat: Omit<RepeatOptions, 'key'>; api: boolean }> {
  return [
    { kind: 'bookings_sync', repeat: { every: settings.bookingsSyncEveryMs }, api: true },
    { kind: 'reconcile', repeat: { pattern: settings.reconcileCron, tz: 'UTC' }, api: true },
    { kind: 'event_types_sync', repeat: { every: EVENT_TYPES_SYNC_EVERY_MS }, api: true },
    { kind: 'complete_past', repeat: { every: COMPLETE_PAST_EVERY_MS }, api: false },
  ];
}

/**
 * The sync schedulers to keep (see `keepScheduled`); without an API key the API-backed ones are removed first,
 * since they could only record failures. Safe to run from several workers at once.
 */
export async function syncSchedulers(queue: SyncQueue, settings: ScheduleSettings): Promise<Scheduler[]> {
  const kept: Scheduler[] = [];
  for (const { kind, repeat, api } of syncSchedules(settings)) {
    if (api && !settings.withApi) {
      await queue.removeJobScheduler(kind);
      continue;
    }
    kept.push({
      id: kind,
      upsert: () =>
        queue.upsertJobScheduler(kind, repeat, {
          name: kind,
          data: { kind, trigger: 'schedule' },
          opts: syncJob.options,
        }),
    });
  }
  return kept;
}
