import type { InferSelectModel } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const tz = { withTimezone: true } as const;

export const outboundEndpointStatuses = ['active', 'paused'] as const;
export type OutboundEndpointStatus = (typeof outboundEndpointStatuses)[number];

/**
 * A URL of the owner's other systems that receives every Change (of the chosen types) as a Standard Webhooks message.
 * `cursor` is the last Change id already fanned out into deliveries: the dispatcher moves it in the same statement
 * that writes the deliveries, so a Change is handed to an endpoint exactly once.
 */
export const outboundEndpoints = pgTable(
  'outbound_endpoints',
  {
    id: uuid().primaryKey().defaultRandom(),
    url: text().notNull(),
    /** Change types sent; empty means every type. */
    types: text().array().notNull().default(sql`'{}'::text[]`),
    /** `whsec_<base64>`: signs every message. */
    secret: text().notNull(),
    /** The secret before the last rotation: still signs (a second signature) until `previousSecretExpiresAt`. */
    previousSecret: text(),
    previousSecretExpiresAt: timestamp(tz),
    status: text().$type<OutboundEndpointStatus>().notNull().default('active'),
    /** Why it is paused (an admin, or failing for too long). */
    pausedReason: text(),
    /** The first failure since the last success: failing for the whole window pauses the endpoint. */
    failingSince: timestamp(tz),
    cursor: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    createdAt: timestamp(tz).notNull().defaultNow(),
    updatedAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [check('outbound_endpoints_status_check', sql`${t.status} in ('active', 'paused')`)],
);

export const outboundDeliveryStatuses = ['pending', 'sending', 'delivered', 'failed'] as const;
export type OutboundDeliveryStatus = (typeof outboundDeliveryStatuses)[number];

/**
 * One Change for one endpoint. `sending` is a claim with a lease (`nextAttemptAt`); `orderKey` (the booking, or the
 * event type) orders deliveries: one waits while an earlier one with its key is pending or sending.
 */
export const outboundDeliveries = pgTable(
  'outbound_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    endpointId: uuid()
      .notNull()
      .references(() => outboundEndpoints.id, { onDelete: 'cascade' }),
    changeId: bigint({ mode: 'bigint' }).notNull(),
    orderKey: text().notNull(),
    status: text().$type<OutboundDeliveryStatus>().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp(tz).notNull(),
    lastStatusCode: integer(),
    lastError: text(),
    createdAt: timestamp(tz).notNull().defaultNow(),
    deliveredAt: timestamp(tz),
  },
  (t) => [
    unique('outbound_deliveries_endpoint_change_unique').on(t.endpointId, t.changeId),
    check('outbound_deliveries_status_check', sql`${t.status} in ('pending', 'sending', 'delivered', 'failed')`),
    // The sender's claim and the per-booking order check read only unfinished rows.
    index('outbound_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending', 'sending')`),
    index('outbound_deliveries_order_idx')
      .on(t.endpointId, t.orderKey, t.changeId)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('outbound_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
  ],
);

/** Every try of a delivery: when, the response code (null: no response) and what went wrong. */
export const outboundAttempts = pgTable(
  'outbound_attempts',
  {
    id: bigserial({ mode: 'bigint' }).primaryKey(),
    deliveryId: uuid()
      .notNull()
      .references(() => outboundDeliveries.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp(tz).notNull(),
    statusCode: integer(),
    error: text(),
    durationMs: integer().notNull(),
  },
  (t) => [index('outbound_attempts_delivery_idx').on(t.deliveryId, t.id)],
);

export type OutboundEndpoint = InferSelectModel<typeof outboundEndpoints>;
export type OutboundDelivery = InferSelectModel<typeof outboundDeliveries>;
export type OutboundAttempt = InferSelectModel<typeof outboundAttempts>;
