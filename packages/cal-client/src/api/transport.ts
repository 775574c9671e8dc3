import { Agent, type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { abortableSleep } from './abortable-sleep.ts';
import { CalApiError } from './errors.ts';
import { DEFAULT_RATE_LIMIT_PAUSE_MS, errorFromAnswer, errorFromFailure, readRateLimitHeaders } from './http-errors.ts';
import type { CalPriority, RateBudget } from './rate-budget.ts';
import { parseAnswer } from './schemas.ts';

/** The API families calsync calls; each has its own `cal-api-version`. */
export type CalFamily = 'bookings' | 'event-types' | 'slots' | 'teams';

/** Without `cal-api-version` Cal.com silently answers with an old version, so every call names its own. */
export const CAL_API_VERSIONS = {
  bookings: '2024-08-13',
  'event-types': '2024-06-14',
  slots: '2024-09-04',
  // The teams controllers take every version; team event types answer `TeamEventTypeOutput_2024_06_14`.
  teams: '2024-06-14',
} as const satisfies Record<CalFamily, string>;

/** One HTTP attempt, for metrics. `waitedMs` is the time spent waiting for a budget token. */
export interface CalRequestInfo {
  family: CalFamily;
  status: number | 'network-error';
  durationMs: number;
  waitedMs: number;
}

export interface CalClientOptions {
  /** CAL_API_URL, e.g. `https://api.cal.com`; the client appends `/v2`. */
  baseUrl: string;
  apiKey: string;
  budget: RateBudget;
  /** undici dispatcher (tests, proxies). Connect timeout then is the dispatcher's own. */
  dispatcher?: Dispatcher;
  /** `attempts`: tries in total, the first included (default 3). `baseDelayMs`: first backoff (default 250). */
  retry?: { attempts?: number; baseDelayMs?: number };
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  onRequest?: (info: CalRequestInfo) => void;
}

/** Options every client method takes last. */
export interface CalCallOptions {
  /** Default `background`. Interactive calls may use the whole budget and go first. */
  priority?: CalPriority;
  signal?: AbortSignal;
}

export type QueryValue = string | number | undefined;

export interface CalTransport {
  get<Schema extends z.ZodType>(
    family: CalFamily,
    path: string,
    query: Record<string, QueryValue>,
    schema: Schema,
    options?: CalCallOptions,
  ): Promise<z.infer<Schema>>;
  /**
   * A write (`POST`/`PATCH` with a JSON body). Tried exactly once: after a lost answer calsync cannot know whether
   * Cal.com acted, so a retry here could act twice; the caller's idempotency key decides what happens next.
   */
  send<Schema extends z.ZodType>(
    method: CalWriteMethod,
    family: CalFamily,
    path: string,
    body: Record<string, unknown>,
    schema: Schema,
    options?: CalCallOptions,
  ): Promise<z.infer<Schema>>;
  close(): Promise<void>;
}

export type CalWriteMethod = 'POST' | 'PATCH';

export function createCalTransport(options: CalClientOptions): CalTransport {
  if (!options.apiKey) throw new TypeError('apiKey is required (CAL_API_KEY)');
  const base = URL.parse(options.baseUrl);
  if (!base || !/^https?:$/.test(base.protocol)) {
    throw new TypeError(
      `baseUrl: expected an http(s) URL like https://api.cal.com, got ${JSON.stringify(options.baseUrl)}`,
    );
  }
  const apiRoot = `${base.origin}${base.pathname.replace(/\/+$/, '')}/v2`;
  const attempts = Math.max(1, options.retry?.attempts ?? 3);
  const baseDelayMs = options.retry?.baseDelayMs ?? 250;
  const headersTimeout = options.timeouts?.headersMs ?? 30_000;
  const bodyTimeout = options.timeouts?.bodyMs ?? 30_000;
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({ connect: { timeout: options.timeouts?.connectMs ?? 10_000 }, headersTimeout, bodyTimeout });
  const dispatcher = options.dispatcher ?? ownAgent;
  const { budget } = options;

  async function attempt<Schema extends z.ZodType>(
    family: CalFamily,
    url: URL,
    schema: Schema,
    call: CalCallOptions,
    write?: { method: CalWriteMethod; body: Record<string, unknown> },
  ): Promise<z.infer<Schema>> {
    const { waitedMs } = await budget.acquire({ priority: call.priority ?? 'background', signal: call.signal });
    const method = write?.method ?? 'GET';
    const endpoint = `${method} ${url.pathname}${url.search}`;
    const started = performance.now();
    const report = (status: CalRequestInfo['status']) =>
      options.onRequest?.({ family, status, durationMs: Math.round(performance.now() - started), waitedMs });
    let statusCode: number;
    let rawBody: string;
    let headers: Dispatcher.ResponseData['headers'];
    try {
      const answer = await request(url, {
        method,
        dispatcher,
        headersTimeout,
        bodyTimeout,
        signal: call.signal,
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          'cal-api-version': CAL_API_VERSIONS[family],
          accept: 'application/json',
          ...(write ? { 'content-type': 'application/json' } : {}),
        },
        ...(write ? { body: JSON.stringify(write.body) } : {}),
      });
      statusCode = answer.statusCode;
      headers = answer.headers;
      rawBody = await answer.body.text();
    } catch (error) {
      report('network-error');
      call.signal?.throwIfAborted();
      throw errorFromFailure(error, { endpoint });
    }
    report(statusCode);

    // Obey Cal.com's own counter too: other users of the same key (or a smaller real limit) may be ahead of us.
    const { remaining, resetMs } = readRateLimitHeaders(headers);
    if (statusCode === 429) {
      const pauseMs = resetMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS;
      await budget.pauseUntil(Date.now() + pauseMs);
      throw errorFromAnswer(statusCode, rawBody, pauseMs, { endpoint });
    }
    if (remaining === 0) await budget.pauseUntil(Date.now() + (resetMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS));
    if (statusCode < 200 || statusCode >= 300) throw errorFromAnswer(statusCode, rawBody, 0, { endpoint });
    return parseAnswer(schema, rawBody, { endpoint, status: statusCode });
  }

  async function get<Schema extends z.ZodType>(
    family: CalFamily,
    path: string,
    query: Record<string, QueryValue>,
    schema: Schema,
    call: CalCallOptions = {},
  ): Promise<z.infer<Schema>> {
    const url = new URL(`${apiRoot}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    for (let tryNumber = 1; ; tryNumber++) {
      try {
        return await attempt(family, url, schema, call);
      } catch (error) {
        // A 429 is retryable, but not here: the budget is paused and the caller decides when to come back.
        const retryHere = error instanceof CalApiError && error.retryable && error.status !== 429;
        if (!retryHere || tryNumber >= attempts) throw error;
        // Exponential steps, jittered (half to all of a step) so clients that failed together retry apart.
        const stepMs = baseDelayMs * 2 ** (tryNumber - 1);
        await abortableSleep(stepMs / 2 + Math.random() * (stepMs / 2), call.signal);
      }
    }
  }

  async function send<Schema extends z.ZodType>(
    method: CalWriteMethod,
    family: CalFamily,
    path: string,
    body: Record<string, unknown>,
    schema: Schema,
    call: CalCallOptions = {},
  ): Promise<z.infer<Schema>> {
    return attempt(family, new URL(`${apiRoot}${path}`), schema, call, { method, body });
  }

  return {
    get,
    send,
    close: async () => {
      await ownAgent?.close();
    },
  };
}
