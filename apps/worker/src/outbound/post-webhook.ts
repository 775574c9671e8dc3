import http from 'node:http';
import https from 'node:https';
import { publicOnlyLookup, refuseLiteral } from './address-guard.ts';

export interface PostResult {
  /** The response code; absent when no response came (refused, timed out, connection failed). */
  statusCode?: number;
  /** What went wrong; absent on a 2xx. */
  error?: string;
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

// Keep-alive: a busy endpoint gets many deliveries a second, each would otherwise pay a new TCP (and TLS) handshake.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * POSTs one message. Redirects are not followed (a 3xx is a failure): a redirect could lead to an address the check
 * did not see. Never throws: every outcome is a PostResult.
 */
export function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: PostOptions,
): Promise<PostResult> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
      if (!options.allowPrivate) refuseLiteral(url);
    } catch (error) {
      resolve({ error: (error as Error).message });
      return;
    }
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      agent: agents[url.protocol as keyof typeof agents],
      lookup: options.allowPrivate ? undefined : publicOnlyLookup(),
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'calsync-webhooks',
      },
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`no response within ${options.timeoutMs / 1_000} s`)),
      options.timeoutMs,
    );
    request.on('response', (response) => {
      // The receiver's body is not needed; reading it frees the socket for the next message.
      response.resume();
      response.on('end', () => {
        clearTimeout(timer);
        const statusCode = response.statusCode ?? 0;
        const ok = statusCode >= 200 && statusCode < 300;
        resolve(ok ? { statusCode } : { statusCode, error: `answered ${statusCode}` });
      });
      response.on('error', (err) => {
        clearTimeout(timer);
        resolve({ statusCode: response.statusCode, error: err.message });
      });
    });
    request.on('error', (err) => {
      clearTimeout(timer);
      resolve({ error: err.message });
    });
    request.end(body);
  });
}
