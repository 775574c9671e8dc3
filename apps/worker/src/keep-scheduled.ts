import type { Queue } from 'bullmq';

export interface Scheduler {
  /** The job scheduler's stable id. */
  id: string;
  /** Creates or updates it (`queue.upsertJobScheduler(id, …)`). */
  upsert: () => Promise<unknown>;
}

/** How often a worker checks that its job schedulers still exist. */
export const SCHEDULE_CHECK_MS = 5_000;

/**
 * Upserts the schedulers now, then puts back any that vanished, every `checkEveryMs`. A Redis that lost its data
 * (FLUSHALL, failover to an empty replica) loses its job schedulers too, and with them the sweeper that recovers
 * deliveries from PostgreSQL and the syncs that heal lost webhooks. Existing schedulers are left alone: upserting an
 * `every` scheduler again would start its next job early. Returns a function that stops the checks.
 */
export async function keepScheduled(
  queue: Queue,
  schedulers: Scheduler[],
  onError: (error: unknown) => void,
  checkEveryMs = SCHEDULE_CHECK_MS,
): Promise<() => void> {
  for (const scheduler of schedulers) await scheduler.upsert();
  const check = async () => {
    for (const scheduler of schedulers) {
      if (!(await queue.getJobScheduler(scheduler.id))) await scheduler.upsert();
    }
  };
  const timer = setInterval(() => void check().catch(onError), checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
