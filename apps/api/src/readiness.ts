import { calSyncRuns, queryRows } from '@calsync/db';
import { queueNames } from '@calsync/jobs';
import { checkRedisDurability, type Resources } from '@calsync/service-kit';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';

const watchedQueues = [queueNames.webhooks, queueNames.sync] as const;
// /readyz must answer quickly even when Redis or PostgreSQL does not (BullMQ waits for a connection indefinitely).
const FACTS_TIMEOUT_MS = 1_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

async function queueFacts(queue: Queue) {
  const counts = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
  // asc: the waiting job that has waited longest comes first.
  const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
  return {
    waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    oldest_waiting_age_s: oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0,
  };
}

async function lastSuccessfulSyncs(resources: Resources) {
  const r = calSyncRuns;
  const rows = await queryRows<{ kind: string; finished_at: string; age_s: number }>(
    resources.db,
    sql`select ${r.kind}, to_jsonb(max(${r.finishedAt})) #>> '{}' as finished_at,
      extract(epoch from now() - max(${r.finishedAt}))::float8 as age_s
    from ${r} where ${r.status} = 'succeeded' group by ${r.kind} order by ${r.kind}`,
  );
  return Object.fromEntries(rows.map((r) => [r.kind, { finished_at: r.finished_at, age_s: Math.round(r.age_s) }]));
}

/**
 * Facts for /readyz (service-kit's `health.details`): queue lag (counts and the age of the oldest waiting job) and
 * the age of the last successful sync of each kind. They inform; they never decide readiness.
 * Uses the shared Redis connection (BullMQ leaves a passed-in connection open on close).
 */
export function createReadinessDetails(resources: Resources) {
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    let found = queues.get(name);
    if (!found) {
      found = new Queue(name, { connection: resources.redis, prefix: resources.redisPrefix });
      found.on('error', () => {}); // Redis being down is what /readyz reports, not a crash
      queues.set(name, found);
    }
    return found;
  };
  return {
    async details(): Promise<Record<string, unknown>> {
      const [facts, syncs, redisDurability] = await Promise.all([
        Promise.all(
          watchedQueues.map(async (name) => [
            name,
            await within(queueFacts(queue(name)), FACTS_TIMEOUT_MS).catch(() => null),
          ]),
        ),
        within(lastSuccessfulSyncs(resources), FACTS_TIMEOUT_MS).catch(() => null),
        // Whether Redis may lose acknowledged deliveries (appendonly, maxmemory-policy): a warning, not a verdict.
        within(checkRedisDurability(resources.redis), FACTS_TIMEOUT_MS).catch(() => null),
      ]);
      return { queues: Object.fromEntries(facts), last_successful_sync: syncs, redis_durability: redisDurability };
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => within(q.close(), FACTS_TIMEOUT_MS).catch(() => {})));
    },
  };
}
