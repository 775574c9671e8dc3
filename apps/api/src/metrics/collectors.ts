import { bookingStatuses, calBookings, calChanges, type Database, queryRow, queryRows } from '@calsync/db';
import { countFailedDeliveries, producerConnection, queueNames } from '@calsync/jobs';
import { bookingsByStatus, calBudgetRemaining, metricsRegistry, queueJobs } from '@calsync/service-kit';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { Counter, Gauge } from 'prom-client';
import { budgetStatus } from '../dashboard/health-summary.ts';

const failedDeliveries = new Gauge({
  name: 'calsync_failed_deliveries',
  help: 'Failed deliveries by where their only copy is: failed rows (postgres), failed jobs with no row (redis)',
  labelNames: ['store'] as const,
  registers: [metricsRegistry],
});

// A counter read from the change feed's newest id: the table is the count, so every process reports the same value.
const changesWritten = new Counter({
  name: 'calsync_changes_written',
  help: 'Changes appended to the change feed (its newest id)',
  registers: [metricsRegistry],
});

const jobStates = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

export interface CollectorSources {
  db: Database;
  redis: Redis;
  redisUrl: string;
  redisPrefix: string;
  rateLimit: number;
}

/**
 * Fills the scrape-time gauges: queue counts by state, bookings by status, failed deliveries, the budget left.
 * Close when done.
 */
export function createScrapeCollectors(sources: CollectorSources) {
  const queues = Object.values(queueNames).map((name) => {
    const queue = new Queue(name, {
      prefix: sources.redisPrefix,
      connection: producerConnection(sources.redisUrl, { failFast: true }),
    });
    queue.on('error', () => {});
    return queue;
  });

  async function collectQueues() {
    await Promise.all(
      queues.map(async (queue) => {
        const counts = await queue.getJobCounts(...jobStates);
        for (const state of jobStates) queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
      }),
    );
  }

  // One grouped query; every status is set, so a status whose last booking changed drops to 0 instead of lingering.
  async function collectBookings() {
    const rows = await queryRows<{ status: string; n: number }>(
      sources.db,
      sql`select ${calBookings.status}, count(*)::int as n from ${calBookings} group by ${calBookings.status}`,
    );
    const counts = new Map(rows.map((r) => [r.status, r.n]));
    for (const status of bookingStatuses) bookingsByStatus.set({ status }, counts.get(status) ?? 0);
  }

  async function collectFailedDeliveries() {
    const failed = await countFailedDeliveries(sources);
    failedDeliveries.set({ store: 'postgres' }, failed.rows);
    failedDeliveries.set({ store: 'redis' }, failed.jobsWithoutRow);
  }

  async function collectChanges() {
    const row = await queryRow<{ id: string }>(
      sources.db,
      sql`select coalesce(max(${calChanges.id}), 0)::text as id from ${calChanges}`,
    );
    changesWritten.reset();
    changesWritten.inc(Number(row?.id ?? 0));
  }

  async function collectBudget() {
    const status = await budgetStatus(sources);
    if (status) calBudgetRemaining.set(Math.max(status.limit - status.used, 0));
  }

  return {
    /** Runs every collector; one that fails (Redis down) leaves its gauges as they were and the others still run. */
    async collect(): Promise<string[]> {
      const results = await Promise.allSettled([
        collectQueues(),
        collectBookings(),
        collectFailedDeliveries(),
        collectBudget(),
        collectChanges(),
      ]);
      return results.flatMap((r) =>
        r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : [],
      );
    },
    close: async () => {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
