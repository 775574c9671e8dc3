import { openWebhookQueue } from '@calsync/jobs';
import { failDeliveryJobs } from '@calsync/jobs/testing';
import type { TestEnv } from '@calsync/test-support';

/** Leaves one failed delivery job in Redis and no row for it, as a job the stall check gave up on does. */
export async function leaveFailedDeliveryJob(env: TestEnv, deliveryId: string): Promise<void> {
  const queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
  try {
    await failDeliveryJobs(queue, env, [deliveryId]);
  } finally {
    await queue.close();
  }
}
