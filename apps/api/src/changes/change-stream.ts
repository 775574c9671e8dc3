import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseChangeCursor } from './change-cursor.ts';
import type { ChangeHub } from './change-hub.ts';
import type { Change } from './read-changes.ts';

export interface StreamOptions {
  /** Comment lines keep proxies and the browser from closing an idle stream. */
  heartbeatMs: number;
  /** A client this far behind (bytes the socket has not taken yet) is cut off; it resumes with Last-Event-ID. */
  maxBufferedBytes: number;
  /**
   * Asked at each heartbeat: false ends the stream. A dashboard session that logged out or expired must stop
   * receiving bookings, though its stream was opened while it was valid.
   */
  stillAllowed: () => Promise<boolean>;
}

/** Where a stream starts: `Last-Event-ID` (a reconnecting EventSource), else `?after=`, else from now on. */
export function streamStart(request: FastifyRequest): bigint | null {
  const lastEventId = request.headers['last-event-id'];
  if (lastEventId !== undefined) return parseChangeCursor(lastEventId, 'Last-Event-ID');
  const { after } = request.query as { after?: unknown };
  return after === undefined ? null : parseChangeCursor(after, 'after');
}

/**
 * Turns the reply into a `text/event-stream` of the Changes after `after`, one event per Change (`id:` its id,
 * `data:` its JSON), until the client goes away or `end` is called. The response's `close` event marks the end.
 */
export function serveStream(
  hub: ChangeHub,
  after: bigint | null,
  reply: FastifyReply,
  options: StreamOptions,
): { end: () => void } {
  const out = reply.raw;
  let unsubscribe = () => {};
  let heartbeat: NodeJS.Timeout | undefined;
  const end = () => {
    clearInterval(heartbeat);
    unsubscribe();
    if (!out.writableEnded) out.end();
  };
  reply.hijack();
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx and similar proxies buffer responses unless told not to.
    'x-accel-buffering': 'no',
  });
  out.flushHeaders();
  out.once('close', end);
  const deliver = (changes: Change[]) => {
    if (out.writableEnded) return;
    out.write(changes.map((c) => `id: ${c.id}\ndata: ${JSON.stringify(c)}\n\n`).join(''));
    if (out.writableLength > options.maxBufferedBytes) end();
  };
  // The catch-up waits while a page is still in the socket's buffer, instead of piling the whole backlog up in memory.
  const ready = () =>
    !out.writableNeedDrain || out.writableEnded
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          out.once('drain', resolve);
          out.once('close', resolve);
        });
  hub.subscribe(after, { deliver, ready }).then(
    (stop) => {
      unsubscribe = stop;
      if (out.writableEnded || out.destroyed) return end();
      // Subscribed: from here on nothing is missed. `retry:` tells EventSource how soon to reconnect.
      out.write('retry: 2000\n: connected\n\n');
      heartbeat = setInterval(async () => {
        const allowed = await options.stillAllowed().catch(() => false);
        if (!allowed) return end();
        if (!out.writableEnded) out.write(': heartbeat\n\n');
      }, options.heartbeatMs);
    },
    (err) => {
      reply.log.error({ err }, 'opening the change stream failed; the client reconnects');
      end();
    },
  );
  return { end };
}
