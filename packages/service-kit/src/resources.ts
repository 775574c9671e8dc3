import { createDb, type Database } from '@calsync/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

/** The connections a calsync process shares between its parts (ingest, api, worker). */
export interface Resources {
  /** The database: see DEVELOPERS.md, "Reaching the database". */
  db: Database;
  /** General-purpose connection (readiness, caches, the rate budget). BullMQ opens its own. */
  redis: Redis;
  redisUrl: string;
  /** Prefix of every Redis key calsync writes (BullMQ prefix too); tests use one per file. */
  redisPrefix: string;
}

export function createResources(options: {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix?: string;
  applicationName?: string;
  dbPoolSize?: number;
}): Resources & { close: () => Promise<void> } {
  const { client, db } = createDb(options.databaseUrl, {
    applicationName: options.applicationName,
    max: options.dbPoolSize ?? 10,
  });
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 2_000, lazyConnect: false });
  redis.on('error', () => {}); // reported through /readyz, not as an unhandled event
  return {
    db,
    redis,
    redisUrl: options.redisUrl,
    redisPrefix: options.redisPrefix ?? 'calsync',
    close: async () => {
      redis.disconnect();
      await client.end({ timeout: 5 });
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    resources: Resources;
  }
}

/** Decorates the app with shared resources. The caller owns them and closes them after the app. */
export const resourcesPlugin = fp(
  async (app: FastifyInstance, resources: Resources) => {
    app.decorate('resources', resources);
  },
  { name: 'calsync-resources' },
);
