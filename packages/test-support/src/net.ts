import { createServer } from 'node:net';

/** A TCP port nothing listens on right now (for child processes that need a fixed one). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A URL on a port where nothing listens: connections are refused at once. */
export async function closedPortUrl(scheme: 'postgres' | 'redis'): Promise<string> {
  const port = await freePort();
  return scheme === 'postgres' ? `postgres://postgres@127.0.0.1:${port}/calsync` : `redis://127.0.0.1:${port}`;
}

/** Polls `url` until it answers with `status`, or throws after `timeoutMs`. */
export async function waitForHttp(
  url: string,
  options: { status?: number; timeoutMs?: number } = {},
): Promise<Response> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === (options.status ?? 200)) return response;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer ${options.status ?? 200} within ${options.timeoutMs ?? 20_000} ms (${last})`);
}
