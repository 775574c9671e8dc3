import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

const statusOnly = (description: string) => ({ responses: { '200': { description } } });

/**
 * The OpenAPI document (at /docs/json) and its UI (at /docs). The API's own routes are documented from their route
 * schemas; routes other parts serve on the same port (webhook, health) are described here.
 */
export async function registerDocs(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'calsync',
        description: 'A Cal.com account mirrored into PostgreSQL, served as the original Supabase edge functions.',
        version: '0.1.0',
      },
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } } },
      paths: {
        '/cal-webhook': {
          post: {
            summary: 'Cal.com webhook delivery (signed with X-Cal-Signature-256); 202 once durably stored',
            tags: ['webhooks'],
            responses: { '202': { description: 'stored' }, '401': { description: 'bad or missing signature' } },
          },
        },
        '/healthz': { get: { summary: 'Liveness', tags: ['health'], ...statusOnly('the process answers') } },
        '/readyz': {
          get: {
            summary: 'Readiness: PostgreSQL and Redis reachable; queue lag and last successful syncs',
            tags: ['health'],
            ...statusOnly('ready'),
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
