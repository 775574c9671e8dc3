import { checkRedisAtStart } from '@calsync/service-kit';
import { startChangeRetention } from './change-feed/retention.ts';
import { startNotifications } from './notifications/index.ts';
import { startOutbound } from './outbound/index.ts';
import { startSyncProcessing } from './sync/index.ts';
import { startWebhookProcessing } from './webhooks/index.ts';
import type { RunningWorker, WorkerDeps } from './worker-context.ts';

export type { RunningWorker, WorkerDeps } from './worker-context.ts';

/**
 * Starts every BullMQ worker and job scheduler: the webhook queue, then syncs and housekeeping. Checks Redis first:
 * in production a Redis that may lose acknowledged deliveries stops it (VolatileRedisError) unless
 * ALLOW_VOLATILE_REDIS=true.
 */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  await checkRedisAtStart(deps.resources.redis, deps.env, deps.logger);
  const parts = [await startWebhookProcessing(deps), await startSyncProcessing(deps), await startNotifications(deps)];
  parts.push(await startOutbound(deps)); // outbound webhooks
  parts.push(startChangeRetention({ ...deps, db: deps.resources.db, retentionMs: deps.env.CHANGES_RETENTION }));
  return {
    close: async () => {
      await Promise.all(parts.map((part) => part.close()));
    },
  };
}
