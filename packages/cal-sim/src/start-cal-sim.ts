import { buildCalSimApp } from './server/app.ts';
import { RequestLog } from './server/request-log.ts';
import { SimStore } from './store/sim-store.ts';

export interface CalSimOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The one API key accepted as `Authorization: Bearer …`. Default `cal_test_sim`. */
  apiKey?: string;
  /** How many bookings to generate. Default 500. */
  bookings?: number;
  /** How many event types. Default 4. */
  eventTypes?: number;
  /** Seeds the generator. Default 1. */
  seed?: number;
  /** Requests per window per key. Default 120 (Cal.com's). */
  rateLimit?: number;
  /** Default 60 000. */
  rateWindowMs?: number;
  /** How long a key stays blocked after going over the limit. Default 60 000. */
  blockMs?: number;
  /** The account's clock: statuses like `upcoming`, updatedAt bumps, generated times, slots. Default the real one. */
  now?: () => Date;
  /**
   * The clock of rate windows, blocks and the request log's `at` (ms). Default `Date.now`, kept apart from
   * `now` so a frozen data clock never freezes a rate window (which would block a key forever).
   */
  rateClock?: () => number;
}

/** A running simulator. */
export interface CalSim {
  /** Base URL, e.g. http://127.0.0.1:4010; the API lives under `${url}/v2`, the admin surface under `${url}/_sim`. */
  url: string;
  apiKey: string;
  store: SimStore;
  log: RequestLog;
  close(): Promise<void>;
}

/** Starts a Cal.com simulator listening on `host:port`. */
export async function startCalSim(options: CalSimOptions = {}): Promise<CalSim> {
  const store = new SimStore({
    bookings: options.bookings ?? 500,
    eventTypes: options.eventTypes ?? 4,
    seed: options.seed ?? 1,
    ...(options.now ? { now: options.now } : {}),
  });
  const log = new RequestLog();
  const apiKey = options.apiKey ?? 'cal_test_sim';
  const app = buildCalSimApp({
    store,
    log,
    apiKey,
    rateLimit: options.rateLimit ?? 120,
    rateWindowMs: options.rateWindowMs ?? 60_000,
    blockMs: options.blockMs ?? 60_000,
    rateClock: options.rateClock ?? Date.now,
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return { url: `http://${urlHost}:${port}`, apiKey, store, log, close: () => app.close() };
}
