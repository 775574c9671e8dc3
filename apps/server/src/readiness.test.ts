import { createResources } from '@calsync/service-kit';
import { closedPortUrl, useTestEnv } from '@calsync/test-support';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildServerApp } from './app.ts';
import { loadServerEnv } from './env.ts';

const env = useTestEnv();
// /readyz names what is down to an admin only.
const ADMIN_TOKEN = 'readiness-admin-token-0123456789';
const asAdmin = { url: '/readyz', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

async function appWith(databaseUrl: string, redisUrl: string) {
  const resources = createResources({ databaseUrl, redisUrl });
  const app = await buildServerApp({
    env: loadServerEnv({ ADMIN_TOKEN }),
    logger: pino({ level: 'silent' }),
    resources,
  });
  const close = async () => {
    await app.close();
    await resources.close();
  };
  return { app, close };
}

describe('/healthz and /readyz', () => {
  it('answers ready when PostgreSQL and Redis answer', async () => {
    const { app, close } = await appWith(env.databaseUrl, env.redisUrl);
    try {
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await app.inject(asAdmin);
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ checks: { postgres: 'ok', redis: 'ok' } });
    } finally {
      await close();
    }
  });

  it('answers 503 naming Redis when Redis is unreachable', async () => {
    const { app, close } = await appWith(env.databaseUrl, await closedPortUrl('redis'));
    try {
      const ready = await app.inject(asAdmin);
      expect(ready.statusCode).toBe(503);
      expect(ready.json().error).toEqual({ code: 'not_ready', message: 'Redis unreachable' });
      expect(ready.json().checks.postgres).toBe('ok');
    } finally {
      await close();
    }
  });

  it('answers 503 naming PostgreSQL when PostgreSQL is unreachable', async () => {
    const { app, close } = await appWith(await closedPortUrl('postgres'), env.redisUrl);
    try {
      const ready = await app.inject(asAdmin);
      expect(ready.statusCode).toBe(503);
      expect(ready.json().error.message).toBe('PostgreSQL unreachable');
    } finally {
      await close();
    }
  });
});
