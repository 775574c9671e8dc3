/**
 * Svix's schedule: the first try at once, then these waits after each failed try. A delivery whose last try failed is
 * `failed` (an admin can retry it).
 */
export const RETRY_DELAYS_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
] as const;

/** Tries before a delivery is `failed`. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;

/** The wait before try `attempts + 1`, or null when `attempts` tries were the last. */
export function delayAfterFailure(attempts: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return RETRY_DELAYS_MS[attempts] ?? null;
}
