import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export type ReadinessCheck = () => Promise<unknown>;

export interface HealthOptions {
  /** Extra facts for /readyz (queue lag, last sync…): never decide readiness, only inform. */
  details?: () => Promise<Record<string, unknown>>;
  /**
   * Who may read the checks, their errors and `details` (the api: an admin). Everyone else gets the status alone:
   * raw connection errors and queue counts tell a stranger too much. Without it, nobody sees them.
   */
  mayReadDetails?: (request: FastifyRequest) => Promise<boolean>;
  /**
   * True while the process is still loading routes it listens for (it listens first): /readyz answers 503 then, so
   * a load balancer sends it nothing yet that it would refuse. /healthz answers all along.
   */
  starting?: () => boolean;
}

const CHECK_TIMEOUT_MS = 1_500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

/**
 * `/healthz`: the process answers. `/readyz`: its routes have loaded, and PostgreSQL and Redis really answer (503
 * naming the one that does not).
 */
export const healthPlugin = fp(
  async (app: FastifyInstance, options: HealthOptions) => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (request, reply) => {
      if (options.starting?.()) {
        return reply
          .status(503)
          .header('retry-after', '1')
          .send({ status: 'not_ready', error: { code: 'not_ready', message: 'starting: its routes are loading' } });
      }
      const { db, redis } = app.resources;
      const checks: Record<string, ReadinessCheck> = {
        postgres: () => db.execute('select 1'),
        redis: () => redis.ping(),
      };
      const results: Record<string, string> = {};
      const down: string[] = [];
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), CHECK_TIMEOUT_MS);
            results[name] = 'ok';
          } catch (error) {
            results[name] = `down: ${(error as Error).message}`;
            down.push(name === 'postgres' ? 'PostgreSQL' : 'Redis');
          }
        }),
      );
      const trusted = options.mayReadDetails ? await options.mayReadDetails(request).catch(() => false) : false;
      if (!trusted) {
        if (down.length === 0) return { status: 'ready' };
        return reply.status(503).send({ status: 'not_ready', error: { code: 'not_ready', message: 'not ready' } });
      }
      const details = options.details ? await options.details().catch(() => ({})) : {};
      if (down.length > 0) {
        return reply.status(503).send({
          error: { code: 'not_ready', message: `${down.sort().join(' and ')} unreachable` },
          checks: results,
          ...details,
        });
      }
      return { status: 'ready', checks: results, ...details };
    });
  },
  { name: 'calsync-health', dependencies: ['calsync-resources'] },
);
