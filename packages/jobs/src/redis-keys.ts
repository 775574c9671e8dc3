/**
 * Every Redis key calsync writes outside BullMQ's own, one builder each. Each starts with the process's
 * `redisPrefix` (`resources.redisPrefix`), so tests with their own prefix never meet, and one misspelt name cannot
 * silently split, say, the Cal.com budget in two.
 */

/** Prefix of the Cal.com rate budget's keys, shared by every process that calls Cal.com. */
export function calBudgetKeyPrefix(redisPrefix: string): string {
  return `${redisPrefix}:cal-budget`;
}

/** Marks a delivery id as seen by ingest (the duplicate verdict when PostgreSQL is down). */
export function deliverySeenKey(redisPrefix: string, deliveryId: string): string {
  return `${redisPrefix}:delivery-seen:${deliveryId}`;
}

/** Where the sweeper's pass over received rows (`received`) or BullMQ's failed set (`failed`) resumes. */
export function sweeperCursorKey(redisPrefix: string, pass: 'received' | 'failed'): string {
  return `${redisPrefix}:sweeper:${pass}-cursor`;
}

/** The version that invalidates every cached availability answer of one event type at once. */
export function availabilityVersionKey(redisPrefix: string, eventTypeId: string): string {
  return `${redisPrefix}:availability:version:${eventTypeId}`;
}

/** One cached availability answer: event type, its availability version, and a digest of the question. */
export function availabilitySlotsKey(
  redisPrefix: string,
  eventTypeId: string,
  version: string,
  digest: string,
): string {
  return `${redisPrefix}:availability:slots:${eventTypeId}:v${version}:${digest}`;
}

/** Availability cache misses one client caused in one fixed minute (`minute` = epoch ms / 60 000). */
export function availabilityMissesKey(redisPrefix: string, client: string, minute: number): string {
  return `${redisPrefix}:availability:misses:${client}:${minute}`;
}

/** Failed credential attempts of one client at the admin API and dashboard login. */
export function authFailuresKey(redisPrefix: string, client: string): string {
  return `${redisPrefix}:auth-failures:${client}`;
}

/** A dashboard session. */
export function dashboardSessionKey(redisPrefix: string, sessionId: string): string {
  return `${redisPrefix}:dashboard:session:${sessionId}`;
}

/**
 * The claim and stored answer of one admin action: `key` for a client's Idempotency-Key (scoped by what is asked),
 * `derived` for a key derived from what is asked.
 */
export function adminActionKey(redisPrefix: string, kind: 'key' | 'derived', hash: string): string {
  return `${redisPrefix}:admin-actions:${kind}:${hash}`;
}

/** Namespace of the public routes' per-IP rate limit (@fastify/rate-limit appends the client). */
export function publicRateLimitNamespace(redisPrefix: string): string {
  return `${redisPrefix}:rate-limit:`;
}

/** BullMQ's sorted set of failed jobs of one queue (BullMQ's layout: `prefix:queue:failed`). */
export function bullFailedSetKey(redisPrefix: string, queueName: string): string {
  return `${redisPrefix}:${queueName}:failed`;
}
