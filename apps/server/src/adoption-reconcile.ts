import { type CalSyncRun, getActiveSyncRun } from '@calsync/db';
import { openSyncQueue, requestSync } from '@calsync/jobs';
import type { Resources } from '@calsync/service-kit';
import type { Logger } from 'pino';

/**
 * Adopting the original tables leaves a queued reconciliation run in PostgreSQL (migrations run before Redis is
 * opened, and perhaps in `pnpm db:migrate`): this gives it its job, so every adopted booking is checked against
 * Cal.com now rather than at the next scheduled reconciliation. A queued run whose job exists is left as it is.
 */
export async function queueAdoptionReconcile(resources: Resources, logger: Logger): Promise<CalSyncRun | undefined> {
  const active = await getActiveSyncRun(resources.db, 'reconcile');
  if (active?.status !== 'queued') return undefined;
  const queue = openSyncQueue({ redisUrl: resources.redisUrl, prefix: resources.redisPrefix });
  try {
    const run = await requestSync({ db: resources.db, queue }, 'reconcile', 'manual');
    logger.info({ runId: run.id }, 'reconciliation queued: it checks every booking against Cal.com');
    return run;
  } catch (error) {
    logger.warn({ err: error }, 'could not queue the reconciliation: the scheduled one will take the queued run over');
    return undefined;
  } finally {
    await queue.close();
  }
}
