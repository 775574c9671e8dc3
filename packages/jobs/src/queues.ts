import { Queue } from 'bullmq';
import { type ApplyDeliveryData, applyDeliveryJob, queueNames } from './catalog.ts';
import { producerConnection } from './connection.ts';

/** The `webhooks` queue, typed by the catalog. */
export type WebhookQueue = Queue<ApplyDeliveryData, unknown, typeof applyDeliveryJob.name>;

export interface QueueConnectionOptions {
  redisUrl: string;
  /** BullMQ key prefix (`resources.redisPrefix`). */
  prefix: string;
  /**
   * Fail commands at once while Redis is down (request paths: ingest, api). Off for long-lived workers and
   * schedulers, which should wait for Redis to come back.
   */
  failFast?: boolean;
}

function connection({ redisUrl, failFast }: QueueConnectionOptions) {
  return producerConnection(redisUrl, { failFast: failFast ?? false });
}

/** Opens a producer on the `webhooks` queue. Close it with `queue.close()`. */
export function openWebhookQueue(options: QueueConnectionOptions): WebhookQueue {
  const queue: WebhookQueue = new Queue(applyDeliveryJob.queue, {
    prefix: options.prefix,
    connection: connection(options),
  });
  queue.on('error', () => {}); // a Redis outage surfaces as failed commands where they are awaited
  return queue;
}

/** Opens the `maintenance` queue (the received-deliveries sweeper). Close it with `queue.close()`. */
export function openMaintenanceQueue(options: QueueConnectionOptions): Queue {
  const queue = new Queue(queueNames.maintenance, { prefix: options.prefix, connection: connection(options) });
  queue.on('error', () => {});
  return queue;
}

/** The job BullMQ should hold for a stored delivery: job id = delivery id, so adding it twice is a no-op. */
export function deliveryJob(data: ApplyDeliveryData) {
  return {
    name: applyDeliveryJob.name,
    data,
    opts: { ...applyDeliveryJob.options, jobId: data.deliveryId },
  };
}
