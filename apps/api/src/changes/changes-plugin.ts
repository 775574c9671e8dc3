import { metricsRegistry } from '@calsync/service-kit';
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { parseChangeCursor, parseLimit } from './change-cursor.ts';
import { createChangeHub } from './change-hub.ts';
import { serveStream, streamStart } from './change-stream.ts';
import { readChanges } from './read-changes.ts';

const streamClients = new Gauge({
  name: 'calsync_stream_clients',
  help: 'Clients connected to GET /admin/api/changes/stream in this process',
  registers: [metricsRegistry],
});

export interface ChangesOptions {
  /** SSE heartbeat interval (default 15 s). */
  heartbeatMs?: number;
  /** The hub's safety-net poll interval (default 3 s). */
  pollMs?: number;
}

const schemaTags = { tags: ['changes'], security: [{ admin: [] }] };

/**
 * The booking change feed: `GET /admin/api/changes` (pull, cursor-paged, oldest first) and
 * `GET /admin/api/changes/stream` (SSE, resumable by `Last-Event-ID`). Needs `resourcesPlugin` and `adminAccessPlugin`.
 */
export async function changesPlugin(app: FastifyInstance, options: ChangesOptions = {}) {
  const { db } = app.resources;
  const hub = createChangeHub({ db, log: app.log, pollMs: options.pollMs });
  const streams = new Set<{ end: () => void }>();
  // Before the server waits for open connections to finish: a stream never finishes by itself.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });
  app.addHook('onClose', () => hub.close());

  app.get(
    '/admin/api/changes',
    {
      preHandler: app.requireAdmin,
      schema: { summary: 'The change feed (admin): Changes after `after`, oldest first', ...schemaTags },
    },
    async (request) => {
      const query = request.query as { after?: unknown; limit?: unknown };
      const after = query.after === undefined ? 0n : parseChangeCursor(query.after, 'after');
      const limit = parseLimit(query.limit, 100, 1_000);
      const changes = await readChanges(db, after, limit);
      // The cursor to pass as `after` next time; with nothing new it stays where it was, so a poller keeps its place.
      const nextCursor = changes.at(-1)?.id ?? after.toString();
      return { changes, next_cursor: nextCursor, has_more: changes.length === limit };
    },
  );

  app.get(
    '/admin/api/changes/stream',
    {
      preHandler: app.requireAdmin,
      schema: { summary: 'The change feed as Server-Sent Events (admin by bearer or session)', ...schemaTags },
    },
    (request, reply) => {
      const after = streamStart(request);
      const stream = serveStream(hub, after, reply, {
        heartbeatMs: options.heartbeatMs ?? 15_000,
        maxBufferedBytes: 8 * 1024 * 1024,
        // adminAccess answers once per request object; a fresh one inheriting this request's headers and address
        // asks again about the same credentials (a session logged out since, a token that expired).
        stillAllowed: async () => (await app.adminAccess.verdict(Object.create(request))) === 'admin',
      });
      streams.add(stream);
      streamClients.inc();
      reply.raw.once('close', () => {
        streams.delete(stream);
        streamClients.dec();
      });
    },
  );
}
