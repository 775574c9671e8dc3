import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface QuietMomentOptions {
  /** How long no request may be in flight for the server to count as quiet. */
  quietMs: number;
  /** When to stop waiting for quiet anyway (under a steady stream of requests). */
  atMostMs: number;
}

/**
 * Resolves once `server` has had no request in flight for `quietMs`, or after `atMostMs`, whichever comes first.
 * For work that blocks the process for a while (loading modules) and that requests waiting should not sit behind.
 */
export function quietMoment(server: Server, { quietMs, atMostMs }: QuietMomentOptions): Promise<void> {
  return new Promise((resolve) => {
    let inFlight = 0;
    const quiet = setTimeout(whenQuiet, quietMs);
    const deadline = setTimeout(done, atMostMs);
    const onRequest = (_request: IncomingMessage, response: ServerResponse) => {
      inFlight++;
      response.once('close', () => {
        inFlight--;
        quiet.refresh();
      });
    };
    server.on('request', onRequest);

    function whenQuiet() {
      if (inFlight === 0) done(); // otherwise the last response to close starts the wait again
    }
    function done() {
      clearTimeout(quiet);
      clearTimeout(deadline);
      server.off('request', onRequest);
      resolve();
    }
  });
}
