import { buildCalSimApp } from './server/app.ts';
import type { PagingTotals } from './server/list-bookings.ts';
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
  /** `simple` (default) or `real`: the account also holds the shapes real accounts send (see SimStoreOptions). */
  shapes?: 'simple' | 'real';
  /** The throttler name in `X-RateLimit-{Limit,Remaining,Reset}-<name>`. Default `Default`. */
  rateLimitName?: string;
  /**
   * How `GET /v2/bookings` reports totals: `exact` (default); `null` (totalItems, remainingItems, totalPages null,
   * hasNextPage false); or `{ estimate: factor }` (total × factor, hasNextPage following that wrong total), as
   * Cal.com answers keys with team access.
   */
  pagingTotals?: 'exact' | 'null' | { estimate: number };
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
    ...(options.shapes ? { shapes: options.shapes } : {}),
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
    ...(options.rateLimitName ? { rateLimitName: options.rateLimitName } : {}),
    pagingTotals: pagingTotalsOf(options.pagingTotals),
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return { url: `http://${urlHost}:${port}`, apiKey, store, log, close: () => app.close() };
}

function pagingTotalsOf(option: CalSimOptions['pagingTotals']): PagingTotals {
  if (option === undefined || option === 'exact') return { kind: 'exact' };
  if (option === 'null') return { kind: 'null' };
  if (!(option.estimate > 0))
    throw new Error(`pagingTotals.estimate: must be a positive factor, got ${option.estimate}`);
  return { kind: 'estimate', factor: option.estimate };
}
