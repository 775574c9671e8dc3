import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminAccess } from '@calsync/api/host';
import { buildBaseApp, type Resources } from '@calsync/service-kit';
import type { Logger } from 'pino';
import type { ServerEnv } from './env.ts';

export interface ApiAppDeps {
  env: ServerEnv;
  logger: Logger;
  resources: Resources;
  /** Receives the API's admin check once it exists (the host's /readyz shows its details to admins only). */
  onAdminAccess: (access: AdminAccess) => void;
}

/** The API's routes on a Fastify instance that does not listen: the host hands it requests. */
export interface ApiApp {
  /** Answers one request the host received and did not route, on the host's connection. */
  forward: (request: IncomingMessage, response: ServerResponse) => void;
  /** Ends the change streams, waits for the requests being answered, then closes what they use. */
  close: () => Promise<void>;
}

/**
 * Loads the API's modules (the larger part of calsync's) and builds its routes. The modules load a package at a time,
 * with the requests that arrived meanwhile answered in between: loading one blocks the process, and ingest's
 * deliveries must not wait for all of them.
 */
export async function loadApiApp(deps: ApiAppDeps): Promise<ApiApp> {
  await import('@calsync/worker'); // the API writes Cal.com's answers to admin actions through the worker's mapping
  await waitingRequestsAnswered();
  const { apiPlugin } = await import('@calsync/api');
  await waitingRequestsAnswered();
  const app = await buildBaseApp({ logger: deps.logger, resources: deps.resources, trustProxy: deps.env.TRUST_PROXY });
  await app.register(apiPlugin, { env: deps.env, onAdminAccess: deps.onAdminAccess });
  const answering = responsesInFlight();
  // This instance's close does not wait for connections (they are the host's): this hook does. It runs after the
  // preClose hooks (which end the change streams) and before the onClose hooks registered earlier, which close what
  // the requests use: Fastify runs onClose hooks last-registered first.
  app.addHook('onClose', answering.allDone);
  await app.ready();
  return {
    forward(request, response) {
      answering.add(response);
      app.routing(request, response);
    },
    close: () => app.close(),
  };
}

/** Lets the event loop take the connections and requests that arrived while a module was loading. */
const waitingRequestsAnswered = () => new Promise((resolve) => setTimeout(resolve, 0));

function responsesInFlight() {
  const open = new Set<ServerResponse>();
  let wake: (() => void) | undefined;
  return {
    add(response: ServerResponse) {
      open.add(response);
      response.once('close', () => {
        open.delete(response);
        if (open.size === 0) wake?.();
      });
    },
    allDone: () => (open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve))),
  };
}
