import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { abortableSleep } from './abortable-sleep.ts';
import { ACQUIRE_SCRIPT, PAUSE_SCRIPT, runScript, STATUS_SCRIPT } from './budget-scripts.ts';
import { BudgetExhaustedError } from './errors.ts';

/** `interactive`: a person waits for the answer (availability). `background`: syncs and reconciliation. */
export type CalPriority = 'interactive' | 'background';

export interface AcquireOptions {
  priority: CalPriority;
  /** Aborting it stops the wait (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Give up with BudgetExhaustedError when no token can be had within this many ms. */
  maxWaitMs?: number;
}

export interface RateBudgetStatus {
  limit: number;
  used: number;
  remaining: number;
  /** Epoch ms until which every request waits (Cal.com said so), or null. */
  pausedUntil: number | null;
}

/** The one Cal.com request budget shared by every client in every process. */
export interface RateBudget {
  readonly limit: number;
  readonly windowMs: number;
  /** Takes one token from the rolling window, waiting as long as needed. Reports how long it waited. */
  acquire(options: AcquireOptions): Promise<{ waitedMs: number }>;
  /** Makes every process's `acquire` wait until `epochMs`. Only ever extends a pause. */
  pauseUntil(epochMs: number): Promise<void>;
  status(): Promise<RateBudgetStatus>;
}

export interface RateBudgetOptions {
  redis: Redis;
  /** Prefix of the budget's keys: `${redisPrefix}:cal-budget`. */
  keyPrefix: string;
  /** Requests per window (CAL_API_RATE_LIMIT). */
  limitPerMinute: number;
  /** Length of the rolling window; 60 s like Cal.com's, shorter in tests. */
  windowMs?: number;
  /** Share of the window background requests may use; the rest is kept for interactive ones. */
  backgroundShare?: number;
  /**
   * A token is held this much longer than the window: a request reaches Cal.com a little after its token is taken,
   * and that delay varies, so without a margin N+1 arrivals could fall into one of Cal.com's windows.
   * Default: 5% of the window, at most 1 s.
   */
  marginMs?: number;
}

// An interactive waiter's mark outlives its expected wake-up by this much, so a crashed process blocks nobody for long.
const WAITER_GRACE_MS = 2_000;

/** A rolling-window budget kept in Redis (one Lua script per step, Redis's clock). */
export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const { redis, keyPrefix } = options;
  const limit = options.limitPerMinute;
  const windowMs = options.windowMs ?? 60_000;
  const backgroundShare = options.backgroundShare ?? 0.9;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limitPerMinute must be a whole number ≥ 1, got ${limit}`);
  }
  if (!Number.isFinite(windowMs) || windowMs < 1) throw new RangeError(`windowMs must be ≥ 1, got ${windowMs}`);
  if (!(backgroundShare > 0 && backgroundShare <= 1)) {
    throw new RangeError(`backgroundShare must be in (0, 1], got ${backgroundShare}`);
  }
  const holdMs = windowMs + (options.marginMs ?? Math.min(1_000, Math.ceil(windowMs / 20)));
  const backgroundLimit = Math.max(1, Math.floor(limit * backgroundShare));
  const keys = {
    tokens: `${keyPrefix}:tokens`,
    pausedUntil: `${keyPrefix}:paused-until`,
    waiters: `${keyPrefix}:interactive-waiters`,
  };

  async function tryTake(priority: CalPriority, id: string): Promise<{ taken: boolean; waitMs: number }> {
    const cap = priority === 'interactive' ? limit : backgroundLimit;
    const reply = (await runScript(
      redis,
      ACQUIRE_SCRIPT,
      [keys.tokens, keys.pausedUntil, keys.waiters],
      [holdMs, cap, limit, priority, id, WAITER_GRACE_MS],
    )) as [number, number, number];
    return { taken: reply[0] === 1, waitMs: reply[1] };
  }

  async function acquire({ priority, signal, maxWaitMs }: AcquireOptions): Promise<{ waitedMs: number }> {
    const started = performance.now();
    const id = randomUUID();
    let markedWaiting = false;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const { taken, waitMs } = await tryTake(priority, id);
        const waitedMs = performance.now() - started;
        if (taken) return { waitedMs: Math.round(waitedMs) };
        markedWaiting = priority === 'interactive';
        if (maxWaitMs !== undefined && waitedMs + waitMs > maxWaitMs) {
          throw new BudgetExhaustedError(
            `no Cal.com request token within ${maxWaitMs} ms (next one in ${waitMs} ms)`,
            waitMs,
          );
        }
        // Sleep until the token we need leaves the window (a few ms of jitter spreads waking processes).
        await abortableSleep(waitMs + Math.floor(Math.random() * 5), signal);
      }
    } finally {
      // Still marked as a waiting interactive caller if we gave up or were aborted: stop holding background back.
      if (markedWaiting) await redis.zrem(keys.waiters, id).catch(() => {});
    }
  }

  async function pauseUntil(epochMs: number): Promise<void> {
    // Sent as a length, so Redis's clock (not ours) decides when the pause ends for everyone.
    const lengthMs = Math.ceil(epochMs - Date.now());
    if (lengthMs <= 0) return;
    await runScript(redis, PAUSE_SCRIPT, [keys.pausedUntil], [lengthMs]);
  }

  async function status(): Promise<RateBudgetStatus> {
    const [used, pausedMs] = (await runScript(redis, STATUS_SCRIPT, [keys.tokens, keys.pausedUntil], [holdMs])) as [
      number,
      number,
    ];
    return {
      limit,
      used,
      remaining: Math.max(limit - used, 0),
      pausedUntil: pausedMs > 0 ? Date.now() + pausedMs : null,
    };
  }

  return { limit, windowMs, acquire, pauseUntil, status };
}
