/** What the limiter decided for one request, and the headers every answer carries. */
export interface RateDecision {
  allowed: boolean;
  /** `X-RateLimit-{Limit,Remaining,Reset}-<name>`. */
  headers: Record<string, string>;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  blockMs: number;
  now: () => number;
  /**
   * The throttler's name in the header names (`X-RateLimit-Limit-<name>`, …): `Default` unless the key has
   * named limits (throttler-guard.ts).
   */
  name?: string;
}

interface KeyState {
  windowStart: number;
  hits: number;
  blockedUntil: number;
}

/**
 * Cal.com's API v2 throttler (NestJS ThrottlerGuard with blocking): per key, `limit` requests per window that
 * starts at the key's first request; the request over the limit is refused and the key is then blocked for
 * `blockMs`, every request in the block refused too (and not counted). Reset is in whole SECONDS.
 */
export class RateLimiter {
  readonly #options: RateLimiterOptions;
  readonly #keys = new Map<string, KeyState>();

  constructor(options: RateLimiterOptions) {
    this.#options = options;
  }

  hit(key: string): RateDecision {
    const { limit, windowMs, blockMs, now } = this.#options;
    const at = now();
    let state = this.#keys.get(key);
    const blockEnded = state !== undefined && state.blockedUntil > 0 && at >= state.blockedUntil;
    // A block's end starts a fresh window (as Nest's throttler storage resets the hits when the block expires).
    if (!state || blockEnded || (at >= state.windowStart + windowMs && state.blockedUntil === 0)) {
      state = { windowStart: at, hits: 0, blockedUntil: 0 };
      this.#keys.set(key, state);
    }
    if (at < state.blockedUntil) return this.#decision(false, 0, state.blockedUntil - at);
    state.hits += 1;
    if (state.hits > limit) {
      state.blockedUntil = at + blockMs;
      return this.#decision(false, 0, blockMs);
    }
    return this.#decision(true, limit - state.hits, state.windowStart + windowMs - at);
  }

  /** Forgets every key (tests and `/_sim/rate-limit/reset`). */
  reset(): void {
    this.#keys.clear();
  }

  #decision(allowed: boolean, remaining: number, resetInMs: number): RateDecision {
    const name = this.#options.name ?? 'Default';
    return {
      allowed,
      headers: {
        [`X-RateLimit-Limit-${name}`]: String(this.#options.limit),
        [`X-RateLimit-Remaining-${name}`]: String(remaining),
        [`X-RateLimit-Reset-${name}`]: String(Math.max(1, Math.ceil(resetInMs / 1000))),
      },
    };
  }
}
