import { resourcesOf, type TestEnv } from '@calsync/test-support';
import { type RunningWorker, startWorker } from '@calsync/worker';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildServerApp } from '../src/app.ts';
import { loadServerEnv } from '../src/env.ts';

/** The all-in-one app and a worker on one test file's database and Redis prefix. */
export interface ServerWithWorker {
  app: FastifyInstance;
  worker: RunningWorker;
  close(): Promise<void>;
}

/** Builds the server app and starts a worker beside it; `vars` adds to the test file's database and Redis URLs. */
export async function startServerWithWorker(
  env: TestEnv,
  vars: Record<string, string | undefined>,
): Promise<ServerWithWorker> {
  const serverEnv = loadServerEnv({ DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, ...vars });
  const resources = resourcesOf(env);
  const logger = pino({ level: 'silent' });
  const app = await buildServerApp({ env: serverEnv, logger, resources });
  const worker = await startWorker({ env: serverEnv, resources, logger });
  return {
    app,
    worker,
    async close() {
      await app.close();
      await worker.close();
    },
  };
}

/** Listens on a free local port and returns the app's base URL. */
export async function listenLocally(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
