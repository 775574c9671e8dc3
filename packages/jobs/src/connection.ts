/**
 * BullMQ connection options, built here only. Workers and schedulers wait for Redis to come back; producers on a
 * request path fail fast so a Redis outage answers an error instead of hanging the request (DEVELOPERS.md,
 * "BullMQ connections").
 */

/** For a BullMQ `Worker` (or a long-lived scheduler queue): BullMQ requires `maxRetriesPerRequest: null` there. */
export function workerConnection(redisUrl: string) {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/**
 * For a `Queue` that adds or reads jobs. `failFast`: no offline queue, one retry and a 2 s connect timeout, so a
 * command fails at once while Redis is down (ingest, the API's dashboards and metrics). Without it commands wait
 * for Redis like a worker's.
 */
export function producerConnection(redisUrl: string, options: { failFast: boolean }) {
  return options.failFast
    ? { url: redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 }
    : workerConnection(redisUrl);
}
