import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandlerPlugin } from './error-handler.ts';
import { recordDelivery } from './metrics.ts';
import { type MetricsRouteOptions, metricsRoutePlugin } from './metrics-route.ts';

const METRICS_TOKEN = 'metrics-token-0123456789';
const ADMIN_TOKEN = 'admin-token-0123456789ab';
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function metricsApp(options: MetricsRouteOptions): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(errorHandlerPlugin);
  await app.register(metricsRoutePlugin, options);
  return app;
}

const scrape = (server: FastifyInstance, token?: string) =>
  server.inject({ url: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('metricsRoutePlugin', () => {
  it('opens for the METRICS_TOKEN and ADMIN_TOKEN bearers only, with the process registry', async () => {
    const server = await metricsApp({ metricsToken: METRICS_TOKEN, adminToken: ADMIN_TOKEN });
    recordDelivery('BOOKING_CANCELLED', 'duplicate');
    for (const token of [METRICS_TOKEN, ADMIN_TOKEN]) {
      const answer = await scrape(server, token);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(answer.body).toContain(
        'calsync_webhook_deliveries_total{trigger="BOOKING_CANCELLED",outcome="duplicate"} 1',
      );
    }
    for (const token of [undefined, 'wrong-token-0123456789']) {
      const refused = await scrape(server, token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('is closed (503, naming both variables) when neither token is set', async () => {
    const answer = await scrape(await metricsApp({}), METRICS_TOKEN);
    expect(answer.statusCode).toBe(503);
    expect(answer.json().error.message).toContain('METRICS_TOKEN or ADMIN_TOKEN');
  });

  it('asks isAdmin after the tokens and runs collect before each scrape', async () => {
    let collected = 0;
    const server = await metricsApp({
      adminToken: ADMIN_TOKEN,
      isAdmin: async (request) => request.headers.cookie === 'session=admin',
      collect: async () => {
        collected++;
        return [];
      },
    });
    expect((await server.inject({ url: '/metrics', headers: { cookie: 'session=admin' } })).statusCode).toBe(200);
    expect((await server.inject({ url: '/metrics', headers: { cookie: 'session=nobody' } })).statusCode).toBe(401);
    expect(collected).toBe(1);
  });
});
